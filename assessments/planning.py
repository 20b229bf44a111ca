"""How Trajectory drafts a transition plan from a scored self-assessment and a target title.

Pure Python, standard library only, no Django: the Django layer passes in the person's skill
scores, the target title, the catalog's development actions and the person's answers, and
stores the returned ``PlanDraft`` as plan items.

The rules:

- gap = max(0, expected − score) for every skill with a score; weighted gap = gap × expected /
  100, because a title relies on a skill as much as it expects of it.
- Focus areas are the skills with the largest weighted gaps: the top ``MIN_FOCUS``, plus up to
  ``MAX_FOCUS`` in all when the extra ones still have a weighted gap of at least
  ``EXTRA_FOCUS_MIN_WEIGHTED_GAP``.
- Each focus area gets at most one catalog action per horizon (30, 60, 90 days), preferring a
  step written for the target's track over a generic one and never one written for the other
  track; no action appears twice and no horizon holds more than ``MAX_PER_HORIZON``.
- Strengths are skills the target relies on (expected ≥ ``STRENGTH_MIN_EXPECTED``) where the
  person already meets the expectation.
- Every sentence is built from the person's own numbers and answers, in plain second person:
  a gap is room to grow, not a failing.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assessments.plan_draft import HORIZONS, FocusArea, PlanDraft, PlannedAction, Strength
from assessments.scoring import SkillScore, TitleSpec, keyed_u

__all__ = [
    "HORIZONS",
    "ActionSpec",
    "AnsweredItem",
    "FocusArea",
    "PlanDraft",
    "PlannedAction",
    "Strength",
    "build_plan",
    "default_target",
    "next_title_up",
]

MAX_FOCUS = 5
MIN_FOCUS = 3
MAX_PER_HORIZON = 5
#: A 4th or 5th focus area is added only when its weighted gap is at least this.
EXTRA_FOCUS_MIN_WEIGHTED_GAP = 5.0
#: A strength must be a skill the target expects at least this much of.
STRENGTH_MIN_EXPECTED = 50
MAX_STRENGTHS = 5


# --- inputs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionSpec:
    """A catalog development step for one skill: for one track, or any (``track`` None),
    in the first 30, 60 or 90 days (``horizon``)."""

    id: str
    skill: str
    track: str | None
    horizon: int
    title: str
    description: str
    practice: str = ""


@dataclass(frozen=True)
class AnsweredItem:
    """One answer as the person gave it, with the wording and keying they answered."""

    id: str
    text: str
    skill: str
    key: int
    value: int


# --- building a plan -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Gap:
    skill: SkillScore
    score: float
    expected: int
    gap: float
    weighted_gap: float


def build_plan(
    *,
    skills: Sequence[SkillScore],
    target: TitleSpec,
    actions: Sequence[ActionSpec],
    answers: Sequence[AnsweredItem],
    style: Mapping[str, int] | None = None,
) -> PlanDraft:
    """Draft the plan for moving towards ``target`` from the person's ``skills`` scores.

    Skills without a score are skipped. ``actions`` is the catalog's list of development
    steps (actions with a horizon outside ``HORIZONS`` are ignored; among equally suitable
    actions the earlier one in the list wins). ``answers`` are the person's own answers,
    quoted to explain each focus area. ``style`` (style → times chosen in the situations)
    adds one practice where the profile calls for one (``style_practice``)."""
    gaps: list[_Gap] = []
    for skill in skills:
        if skill.score is None:
            continue
        expected = int(target.expectations.get(skill.slug, 0))
        gap = max(0.0, expected - skill.score)
        gaps.append(_Gap(skill, skill.score, expected, gap, gap * expected / 100))

    ranked = sorted(
        (g for g in gaps if g.weighted_gap > 0),
        key=lambda g: (-g.weighted_gap, -g.expected, g.skill.slug),
    )
    chosen = ranked[:MIN_FOCUS] + [
        g for g in ranked[MIN_FOCUS:MAX_FOCUS] if g.weighted_gap >= EXTRA_FOCUS_MIN_WEIGHTED_GAP
    ]

    answers_by_skill: dict[str, list[AnsweredItem]] = {}
    for answer in answers:
        answers_by_skill.setdefault(answer.skill, []).append(answer)
    suitable = [
        a for a in actions if a.horizon in HORIZONS and (a.track is None or a.track == target.track)
    ]
    used_ids: set[str] = set()
    per_horizon = dict.fromkeys(HORIZONS, 0)

    focus: list[FocusArea] = []
    for g in chosen:
        _, shown_gap = _shown_numbers(g.score, g.expected)
        skill_words = _lower_first(g.skill.name)
        planned: list[PlannedAction] = []
        for horizon in HORIZONS:
            if per_horizon[horizon] >= MAX_PER_HORIZON:
                continue  # Higher-ranked focus areas have filled this horizon.
            options = [
                a
                for a in suitable
                if a.skill == g.skill.slug and a.horizon == horizon and a.id not in used_ids
            ]
            if not options:
                continue
            pick = next((a for a in options if a.track is not None), options[0])
            used_ids.add(pick.id)
            per_horizon[horizon] += 1
            planned.append(
                PlannedAction(
                    action_id=pick.id,
                    skill=g.skill.slug,
                    horizon=horizon,
                    title=pick.title,
                    description=pick.description,
                    why=(
                        f"Closes {'more' if planned else 'part'} of your {shown_gap}-point gap "
                        f"in {skill_words} by day {horizon}."
                    ),
                )
            )
        focus.append(
            FocusArea(
                skill=g.skill.slug,
                name=g.skill.name,
                score=g.score,
                expected=g.expected,
                gap=g.gap,
                weighted_gap=g.weighted_gap,
                why=_focus_why(g, target.name, answers_by_skill.get(g.skill.slug, ())),
                actions=tuple(planned),
            )
        )

    strong = sorted(
        (g for g in gaps if g.score >= g.expected and g.expected >= STRENGTH_MIN_EXPECTED),
        key=lambda g: (-(g.score - g.expected), -g.score, g.skill.slug),
    )[:MAX_STRENGTHS]
    strengths = tuple(
        Strength(
            skill=g.skill.slug,
            name=g.skill.name,
            score=g.score,
            expected=g.expected,
            why=(
                f"You are at {_whole(g.score)} where {_article(target.name).lower()} "
                f"{target.name} is expected at {g.expected}: a strength to build on."
            ),
        )
        for g in strong
    )

    return PlanDraft(
        target=target.slug,
        target_name=target.name,
        focus=tuple(focus),
        strengths=strengths,
        no_gap=not focus,
        practice=style_practice(style, suitable, used_ids),
    )


#: Where the style lens calls for a practice: a style chosen in at least half of the
#: situations, the practice that balances it, and the sentence saying why.
STYLE_PRACTICES: dict[str, tuple[str, str]] = {
    "delegate": (
        "regular-check-ins",
        "In {n} of {total} situations you handed the work over. Regular check-ins keep the "
        "people you hand work to supported without taking it back.",
    ),
    "direct": (
        "empowerment-vs-command",
        "In {n} of {total} situations you said what to do and how. Handing over a decision, "
        "with the goal and limits agreed, lets people grow into it.",
    ),
}


def style_practice(
    style: Mapping[str, int] | None, actions: Sequence[ActionSpec], used: set[str]
) -> PlannedAction | None:
    """One practice the style lens calls for, or None: regular check-ins for a mostly
    delegating style, handing over a decision for a mostly directing one."""
    total = sum((style or {}).values())
    for chosen, (practice, why) in STYLE_PRACTICES.items():
        n = (style or {}).get(chosen, 0)
        if total and n * 2 >= total:
            pick = next((a for a in actions if a.practice == practice and a.id not in used), None)
            if pick is not None:
                return PlannedAction(
                    action_id=pick.id, skill=pick.skill, horizon=pick.horizon, title=pick.title,
                    description=pick.description, why=why.format(n=n, total=total),
                )  # fmt: skip
    return None


def next_title_up(target: TitleSpec, titles: Iterable[TitleSpec]) -> TitleSpec | None:
    """The title one level above ``target`` on the same track (lowest higher level, ties by
    slug), or None when ``target`` is at the top of its track."""
    higher = [t for t in titles if t.track == target.track and t.level > target.level]
    return min(higher, key=lambda t: (t.level, t.slug), default=None)


def default_target(current: TitleSpec | None, titles: Sequence[TitleSpec], track: str) -> TitleSpec:
    """The title a plan aims at unless the person picks one: the next rung on ``track`` (the
    path the person wants: the leadership ladder, or the craft ladder).

    - No current title: the lowest title on that track.
    - Current title on that track: the next level up there (itself at the top).
    - Otherwise: the lowest title on that track at or above the current level (the top one
      when every one is below).

    Raises ValueError when ``titles`` has no title on ``track``."""
    ladder = sorted((t for t in titles if t.track == track), key=_ladder_order)
    if not ladder:
        raise ValueError(f"No title on the track {track!r}.")
    if current is None:
        return ladder[0]
    if current.track == track:
        return next_title_up(current, ladder) or current
    return next((t for t in ladder if t.level >= current.level), ladder[-1])


# --- wording -------------------------------------------------------------------------------


def _focus_why(g: _Gap, target_name: str, answers: Iterable[AnsweredItem]) -> str:
    """Why this skill is in focus: the answer that pulled the score down most, then the
    numbers. For example: "You rated yourself 2/5 on ‘I regularly coach other PMs.’ A Director
    of PM is expected at 80 in mentoring and coaching; you are at 35, which leaves 45 points
    of room to grow." """
    shown_score, shown_gap = _shown_numbers(g.score, g.expected)
    points = "point" if shown_gap == "1" else "points"
    numbers = (
        f"{_article(target_name)} {target_name} is expected at {g.expected} in "
        f"{_lower_first(g.skill.name)}; you are at {shown_score}, which leaves {shown_gap} "
        f"{points} of room to grow."
    )
    lowest = min(answers, key=lambda a: (keyed_u(a.value, a.key), a.id), default=None)
    if lowest is None:
        return numbers
    statement = " ".join(lowest.text.split())
    if keyed_u(lowest.value, lowest.key) < 0 and lowest.key < 0:
        # Agreeing with a reverse-keyed statement lowers the skill: say so, plainly.
        return (
            f"You rated yourself {lowest.value}/5 on ‘{statement.rstrip('.')}’, "
            f"which counts against this skill. {numbers}"
        )
    end = "" if statement.endswith((".", "?", "!")) else "."
    return f"You rated yourself {lowest.value}/5 on ‘{statement}’{end} {numbers}"


def _shown_numbers(score: float, expected: int) -> tuple[str, str]:
    """Score and gap as shown in text, always consistent (shown gap = expected − shown
    score): whole numbers, or tenths when rounding to whole numbers would hide the gap."""
    whole = math.floor(score + 0.5)
    if expected - whole >= 1:
        return str(whole), str(expected - whole)
    tenth = math.floor(score * 10 + 0.5)
    return f"{tenth / 10:.1f}", f"{(expected * 10 - tenth) / 10:.1f}"


def _whole(value: float) -> str:
    # Round half up: Python's round() would show 62.5 as 62.
    return str(math.floor(value + 0.5))


def _article(name: str) -> str:
    return "An" if name[:1].upper() in ("A", "E", "I", "O") else "A"


def _lower_first(name: str) -> str:
    """'Mentoring and coaching' → 'mentoring and coaching'; 'OKRs' stays as it is."""
    if len(name) >= 2 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def _ladder_order(title: TitleSpec) -> tuple[int, str]:
    return (title.level, title.slug)


def _round(value: float) -> float:
    # Adding 0.0 turns -0.0 into 0.0, so JSON never shows "-0.0".
    return round(value, 2) + 0.0
