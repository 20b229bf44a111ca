"""The self-vs-manager comparison and its suggested 1:1 agenda: the product's rules, in plain
Python (no Django).

Given a self-assessment and a manager assessment of the same person (their stored scores and
answers), this says how far apart the two views are, skill by skill and on each axis, which
skills to raise in a 1:1 and how to open the conversation: always about the two views, never
about who is right. The view reads the assessments (assessments.selectors) and draws the page.
"""

import math
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from assessments import charts

#: Points between self and manager on a skill that make it a blind spot or a hidden strength.
NOTABLE_GAP = 25
AGENDA_MIN, AGENDA_MAX = 3, 5
#: Skills this far apart or more are agenda-worthy beyond the first AGENDA_MIN.
AGENDA_GAP = 15


class SkillScore(Protocol):
    slug: str
    name: str
    score: float | None


class Scores(Protocol):
    """A stored result's scores (scoring.ScoreResult)."""

    skills: Sequence[SkillScore]


class AnswerLike(Protocol):
    """An answer as stored with its assessment (assessments.models.Answer)."""

    question_code: str
    skill_slug: str
    text: str
    key: int
    value: int
    note: str


class Placed(Protocol):
    """An assessment's place on the map (assessments.models.Assessment)."""

    strategic: float | None
    leadership: float | None
    result: dict | None


def possessive(label: str) -> str:
    return "Your" if label == "You" else f"{label}’s"


def labels(
    subject_name: str, assessor_name: str, viewer_is_subject: bool, viewer_is_assessor: bool
) -> dict[str, Any]:
    """How the page names the two views: "You" for the viewer's own, else by first name
    (``subject_name``, ``assessor_name``)."""
    self_label = "You" if viewer_is_subject else subject_name
    manager_label = "You" if viewer_is_assessor else assessor_name
    if viewer_is_subject:
        heading = f"Your view and {manager_label}’s, side by side"
    elif viewer_is_assessor:
        heading = f"{self_label}’s view and yours, side by side"
    else:
        heading = f"{self_label}’s view and {manager_label}’s, side by side"
    return {
        "heading": heading,
        "viewer_is_subject": viewer_is_subject,
        "viewer_is_assessor": viewer_is_assessor,
        "self_label": self_label,
        "manager_label": manager_label,
        "self_heading": f"{possessive(self_label)} view",
        "manager_heading": f"{possessive(manager_label)} view",
    }


def skill_differences(self_scores: Scores, manager_scores: Scores) -> list[dict]:
    """Per skill (in the self-assessment's order): self score, manager score, self − manager
    (``gap``), how many whole points ``apart``, and its ``kind``: "blind-spot" (the self view
    NOTABLE_GAP or more higher), "hidden-strength" (the manager's) or ""."""
    theirs_by_slug = {s.slug: s.score for s in manager_scores.skills}
    rows = []
    for skill in self_scores.skills:
        mine, theirs = skill.score, theirs_by_slug.get(skill.slug)
        gap = None if mine is None or theirs is None else mine - theirs
        kind = ""
        if gap is not None and gap >= NOTABLE_GAP:
            kind = "blind-spot"
        elif gap is not None and -gap >= NOTABLE_GAP:
            kind = "hidden-strength"
        rows.append(
            {"slug": skill.slug, "name": skill.name, "self": mine, "manager": theirs,
             "gap": gap, "apart": None if gap is None else abs(round(gap)), "kind": kind}
        )  # fmt: skip
    return rows


def agenda(
    differences: list[dict],
    self_answers: Mapping[str, AnswerLike],
    manager_answers: Mapping[str, AnswerLike],
    scale_labels: Mapping[int, str],
) -> list[dict]:
    """The largest differences first: at least AGENDA_MIN skills, up to AGENDA_MAX when they
    are AGENDA_GAP points apart or more; each with its statements answered side by side (the
    manager's order, then any only the self-assessment answered), the manager's evidence
    note, and a conversation ``prompt``. Answers are by question code; ``scale_labels`` names
    each answer value."""
    ranked = sorted(
        (d for d in differences if d["gap"] is not None), key=lambda d: (-abs(d["gap"]), d["name"])
    )
    wide = sum(1 for d in ranked if abs(d["gap"]) >= AGENDA_GAP)
    chosen = ranked[: max(AGENDA_MIN, min(AGENDA_MAX, wide))]
    items = []
    for d in chosen:
        codes = [a.question_code for a in manager_answers.values() if a.skill_slug == d["slug"]]
        codes += [
            c for c, a in self_answers.items() if a.skill_slug == d["slug"] and c not in codes
        ]
        statements = []
        for code in codes:
            mine, theirs = self_answers.get(code), manager_answers.get(code)
            either = theirs or mine
            statements.append(
                {"text": either.text, "reverse": either.key == -1,
                 "self": scale_labels.get(mine.value) if mine else None,
                 "manager": scale_labels.get(theirs.value) if theirs else None,
                 "note": theirs.note if theirs else ""}
            )  # fmt: skip
        items.append({**d, "statements": statements, "prompt": prompt(d["gap"])})
    return items


def prompt(gap: float) -> str:
    """A conversation starter for one skill: about the two views, never about who is right."""
    if abs(gap) < AGENDA_GAP:
        return (
            "The two views are close here. A quick check that you both mean the same thing by "
            "good work in this skill."
        )
    if gap > 0:
        return (
            "The self-assessment scores this higher than the manager’s view. Talk through the "
            "moments each of you has in mind, and what would make this strength easier for "
            "others to see."
        )
    return (
        "The manager’s view scores this higher than the self-assessment. Share the examples "
        "behind it, and talk about how to build on it."
    )


def side_by_side(
    self_scores: Scores,
    manager_scores: Scores,
    self_answers: Mapping[str, AnswerLike],
    manager_answers: Mapping[str, AnswerLike],
    scale_labels: Mapping[int, str],
) -> dict[str, list[dict]]:
    """Every skill's difference, the blind spots and hidden strengths among them, and the
    agenda."""
    differences = skill_differences(self_scores, manager_scores)
    return {
        "differences": differences,
        "blind_spots": [d for d in differences if d["kind"] == "blind-spot"],
        "hidden_strengths": [d for d in differences if d["kind"] == "hidden-strength"],
        "agenda": agenda(differences, self_answers, manager_answers, scale_labels),
    }


def axis_row(
    words: tuple[str, str, str], mine: float | None, theirs: float | None, manager_heading: str
) -> dict:
    """One axis (``words``: its low end, high end and title): both positions and, in words,
    where the manager's view sits from the self's."""
    low, high, _title = words
    change = None if mine is None or theirs is None else round(theirs) - round(mine)
    if change is None:
        reading = "Not placed in both"
    elif change == 0:
        reading = "The same"
    else:
        points = f"{abs(change)} point{'s' if abs(change) != 1 else ''}"
        reading = f"{manager_heading} sits {points} more {high if change > 0 else low}"
    return {"words": words, "self": mine, "manager": theirs, "reading": reading}


def compare_points(
    self_a: Placed | None, manager_a: Placed, self_label: str, manager_label: str
) -> tuple[list[charts.MapPoint], dict | None]:
    """Titles from the manager assessment's snapshot, the self point, the manager point, and
    an arrow from self to manager (stopping short of the square it points at; none when the
    two are too close to draw one)."""
    titles = [
        charts.point(t["name"], t["strategic"], t["leadership"], kind="title")
        for t in (manager_a.result or {}).get("titles", [])
    ]
    points, arrow = charts.spread_labels(titles), None
    placed = [
        a for a in (self_a, manager_a) if a and a.strategic is not None and a.leadership is not None
    ]
    if self_a in placed:
        points.append(charts.point(self_label, self_a.strategic, self_a.leadership, kind="report"))
    if manager_a in placed:
        points.append(
            charts.point(manager_label, manager_a.strategic, manager_a.leadership, kind="manager")
        )
    if len(placed) == 2:
        start, end = points[-2], points[-1]
        dx, dy = end.cx - start.cx, end.cy - start.cy
        length = math.hypot(dx, dy)
        if length > 18:
            shrink = (length - 10) / length
            arrow = {
                "x1": start.cx, "y1": start.cy,
                "x2": round(start.cx + dx * shrink, 1), "y2": round(start.cy + dy * shrink, 1),
            }  # fmt: skip
    return points, arrow
