"""Team review: a manager's direct reports, one report's page, assessing a report, and the
comparison of a self-assessment with a manager assessment (with a suggested 1:1 agenda).

Access is the queryset: reports come from ``accounts.services.direct_reports`` (current, active
direct reports, read fresh on every request) and assessments from
``Assessment.objects.visible_to``, so a manager never reaches a draft, an unshared result or
someone who does not report to them: those are 404s, like any unknown id.
"""

import csv
import math
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.fields.json import KeyTransform
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.services import direct_reports
from assessments import charts, services
from assessments.forms import SCALE
from assessments.models import Answer, Assessment, Plan, PlanItem
from assessments.scoring import QUADRANT_LABELS
from assessments.views.common import no_store
from assessments.views.results import AXIS_WORDS, axis_sentence
from roles.models import Role

SHARED, NOT_SHARED, NOT_TAKEN = "shared", "not-shared", "not-taken"
STATUS_LABELS = {SHARED: "Shared a result", NOT_SHARED: "Not shared", NOT_TAKEN: "Not taken yet"}
SORTS = {
    "name": "Name",
    "strategic": "Tactical ↔ strategic",
    "leadership": "Individual contributor ↔ people leader",
    "progress": "Plan progress",
    "date": "Date",
}
#: Points between self and manager on a skill that make it a blind spot or a hidden strength.
NOTABLE_GAP = 25
AGENDA_MIN, AGENDA_MAX = 3, 5
#: Skills this far apart or more are agenda-worthy beyond the first AGENDA_MIN.
AGENDA_GAP = 15
#: People per page of the team table, heatmap and map.
PAGE_SIZE = 50
#: Heatmap colour bands: lower edges of the score bands, 0–100.
HEAT_BANDS = (0, 20, 40, 60, 80)


# --- the team table -----------------------------------------------------------------------


@dataclass
class TeamRow:
    """One direct report as their manager may see them: numbers only from a shared result."""

    person: User
    label: str
    state: str
    assessment: Assessment | None = None
    progress: dict | None = None
    skills: dict[str, float | None] = field(default_factory=dict)
    skill_names: dict[str, str] = field(default_factory=dict)

    @property
    def state_label(self) -> str:
        return STATUS_LABELS[self.state]

    @property
    def axes(self) -> list[dict]:
        """Both positions as a signed number with the word for its side (never a bare number)."""
        a = self.assessment
        cells = []
        for value, (low, high, _) in (
            (a.strategic, AXIS_WORDS["strategic"]),
            (a.leadership, AXIS_WORDS["leadership"]),
        ):
            if value is None:
                cells.append({"number": None, "word": "not placed"})
            else:
                n = round(value)
                word = "balanced" if n == 0 else high if n > 0 else low
                cells.append({"number": f"{n:+d}".replace("-", "−"), "word": word})
        return cells

    def sort_value(self, key: str):
        a = self.assessment
        if key == "name":
            return self.person.display_name.casefold()
        if a is None:
            return None
        if key == "progress":
            return self.progress["percent"] if self.progress and self.progress["total"] else None
        return {"strategic": a.strategic, "leadership": a.leadership, "date": a.submitted_at}[key]


def _reports_with_latest_shared(manager: User) -> list[User]:
    """Query 1: the current direct reports, each annotated with the id of their latest shared,
    submitted self-assessment (``latest_shared_id``) and whether they submitted any at all
    (``has_submitted``: "not shared" and "not taken yet" read differently)."""
    submitted_self = Assessment.objects.filter(
        subject=OuterRef("pk"), kind=Assessment.Kind.SELF, status=Assessment.Status.SUBMITTED
    )
    latest_shared = submitted_self.filter(shared_with_manager=True).order_by(
        "-submitted_at", "-created_at"
    )
    return list(
        direct_reports(manager).annotate(
            latest_shared_id=Subquery(latest_shared.values("pk")[:1]),
            has_submitted=Exists(submitted_self),
        )
    )


def _progress_by_assessment(manager: User, ids: list) -> dict:
    """One query: done / total plan actions per result, counted in the database, for the plans
    whose progress this manager may see."""
    visible_plans = Plan.objects.progress_visible_to(manager).filter(assessment_id__in=ids)
    counts = (
        PlanItem.objects.filter(plan__in=visible_plans)
        .values("plan__assessment_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=PlanItem.Status.DONE)))
    )
    return {c["plan__assessment_id"]: _progress(c["done"], c["total"]) for c in counts}


def team_rows(manager: User) -> list[TeamRow]:
    """Every current direct report with their latest shared, submitted self-assessment and its
    plan progress, in three queries however many reports (plus the permission check)."""
    reports = _reports_with_latest_shared(manager)
    ids = [r.latest_shared_id for r in reports if r.latest_shared_id]
    # Query 2: those results, through the one access path (a guard as much as a read). Only
    # the skill scores are read out of the stored result, not the whole snapshot.
    found = (
        Assessment.objects.visible_to(manager)
        .filter(pk__in=ids)
        .defer("result")
        .annotate(score_skills=KeyTransform("skills", KeyTransform("score", "result")))
        .in_bulk()
    )
    progress = _progress_by_assessment(manager, ids)  # query 3
    first_names = Counter(r.get_short_name() for r in reports)
    rows = []
    for person in reports:
        short = person.get_short_name()
        label = short if first_names[short] == 1 else person.display_name
        a = found.get(person.latest_shared_id)
        if a is None:
            state = NOT_SHARED if person.has_submitted else NOT_TAKEN
            rows.append(TeamRow(person=person, label=label, state=state))
            continue
        skills = {s["slug"]: s["score"] for s in a.score_skills or ()}
        names = {s["slug"]: s["name"] for s in a.score_skills or ()}
        row_progress = progress.get(a.pk, _progress(0, 0))
        rows.append(TeamRow(person, label, SHARED, a, row_progress, skills, names))
    return rows


def _progress(done: int, total: int) -> dict[str, int]:
    return {"done": done, "total": total, "percent": round(100 * done / total) if total else 0}


def filtered_and_sorted(rows: list[TeamRow], params) -> tuple[list[TeamRow], dict]:
    """Apply the GET filters (quadrant, status) and sort (``-`` prefix: descending).

    Unknown values are ignored rather than refused: a stale bookmark still shows the team.
    Rows without a number for the sort key go last, by name, whichever the direction.
    """
    quadrant = params.get("quadrant", "")
    quadrant = quadrant if quadrant in QUADRANT_LABELS else ""
    status = params.get("status", "")
    status = status if status in STATUS_LABELS else ""
    sort = params.get("sort", "name")
    sort = sort if sort.lstrip("-") in SORTS else "name"
    key, descending = sort.lstrip("-"), sort.startswith("-")
    if quadrant:
        rows = [r for r in rows if r.assessment and r.assessment.quadrant == quadrant]
    if status:
        rows = [r for r in rows if r.state == status]
    by_name = sorted(rows, key=lambda r: r.sort_value("name"))
    valued = [r for r in by_name if r.sort_value(key) is not None]
    valued.sort(key=lambda r: r.sort_value(key), reverse=descending)
    rest = [r for r in by_name if r.sort_value(key) is None]
    return valued + rest, {"quadrant": quadrant, "status": status, "sort": sort}


def sort_links(current: dict) -> dict[str, dict]:
    """For each sortable column: the query string that sorts by it, and its aria-sort state."""
    links = {}
    key, descending = current["sort"].lstrip("-"), current["sort"].startswith("-")
    # Filters are kept; their values are validated keys, so they need no escaping.
    query = "&".join(f"{k}={v}" for k, v in current.items() if k != "sort" and v)
    for name in SORTS:
        if name == key:
            state = "descending" if descending else "ascending"
            next_sort = name if descending else f"-{name}"
        else:
            state = "none"
            # Names read A→Z first; numbers and dates read highest / newest first.
            next_sort = name if name == "name" else f"-{name}"
        links[name] = {
            "query": f"?sort={next_sort}" + (f"&{query}" if query else ""),
            "state": state,
        }
    return links


def heatmap(rows: list[TeamRow]) -> tuple[list[dict], list[dict]]:
    """Skill columns (in the order results list them) and, per shared row, banded cells."""
    columns: dict[str, str] = {}
    for row in rows:
        for slug, name in row.skill_names.items():
            columns.setdefault(slug, name)
    table = []
    for row in rows:
        if row.assessment is None:
            continue
        cells = []
        for slug in columns:
            score = row.skills.get(slug)
            band = None if score is None else sum(1 for edge in HEAT_BANDS[1:] if score >= edge)
            cells.append({"score": None if score is None else round(score), "band": band})
        table.append({"row": row, "cells": cells})
    return [{"slug": s, "name": n} for s, n in columns.items()], table


def team_map_points(rows: list[TeamRow]) -> list[charts.MapPoint]:
    """Titles as reference points, then each report with a placed result."""
    titles = [
        charts.point(r.short_name, r.expected_strategic, r.expected_leadership, kind="title")
        for r in Role.objects.for_ladders()
    ]
    people = [
        charts.point(r.label, r.assessment.strategic, r.assessment.leadership, kind="report")
        for r in rows
        if r.assessment
        and r.assessment.strategic is not None
        and r.assessment.leadership is not None
    ]
    return charts.spread_labels(titles) + charts.spread_labels(people)


def _team_or_404(request: HttpRequest) -> list[TeamRow]:
    if not request.user.has_reports:
        raise Http404
    return team_rows(request.user)


@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    """A person with at least one current direct report: their team's shared results, who has
    not taken or not shared it, the team map, the skill heatmap. Anyone else: 404."""
    # Queries, the same for 5 or 50 reports: session, user, has_reports, the reports with their
    # latest shared result id, the user's and group permissions (visible_to), those results,
    # plan progress counts, and the titles for the map.
    everyone = _team_or_404(request)
    rows, current = filtered_and_sorted(everyone, request.GET)
    # A page of people at a time: a manager of a thousand reads them fifty at a time, and the
    # page stays light. The counts and the filters cover everyone.
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    columns, heat_rows = heatmap(rows)
    context = {
        "rows": rows,
        "page": page,
        "page_query": _query_without_page(request),
        "everyone": everyone,
        "status_counts": [
            (key, label, sum(1 for r in everyone if r.state == key))
            for key, label in STATUS_LABELS.items()
        ],
        "quadrant_counts": [
            (key, label, sum(1 for r in everyone if r.assessment and r.assessment.quadrant == key))
            for key, label in QUADRANT_LABELS.items()
        ],
        "current": current,
        "sorts": sort_links(current),
        "status_labels": STATUS_LABELS,
        "quadrant_labels": QUADRANT_LABELS,
        "frame": charts.map_frame(),
        "points": team_map_points(rows),
        "heat_columns": columns,
        "heat_rows": heat_rows,
        "csv_query": request.GET.urlencode(),
    }
    return no_store(render(request, "assessments/team.html", context))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _csv_safe(value) -> str | int | float:
    """A cell a spreadsheet will not run: text that starts like a formula gets a leading '.

    Numbers the app computed stay numbers (so a position of -12 sorts as a number)."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_GET
def team_csv(request: HttpRequest) -> HttpResponse:
    """The same people as the team page (same filters and sort) as CSV, for a person with
    current direct reports; only shared, submitted results carry numbers. Anyone else: 404."""
    rows, _ = filtered_and_sorted(_team_or_404(request), request.GET)
    columns, _ = heatmap(rows)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="team-results-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        ["Name", "Email", "Status", "Submitted", "Quadrant", "Tactical-strategic",
         "IC-people leader", "Current title", "Target title", "Closest title",
         "Plan actions done", "Plan actions", *(c["name"] for c in columns)]
    )  # fmt: skip
    for row in rows:
        a = row.assessment
        numbers = []
        if a is not None:
            numbers = [
                f"{timezone.localtime(a.submitted_at):%Y-%m-%d}", a.quadrant_label,
                _round(a.strategic),
                _round(a.leadership), a.current_title_name, a.target_title_name,
                a.closest_title_name, row.progress["done"], row.progress["total"],
                *(_round(row.skills.get(c["slug"])) for c in columns),
            ]  # fmt: skip
        cells = [row.person.display_name, row.person.email, row.state_label, *numbers]
        writer.writerow([_csv_safe(cell) for cell in cells])
    return no_store(response)


def _round(value: float | None) -> int | None:
    return None if value is None else round(value)


# --- one report -----------------------------------------------------------------------------


@login_required
@require_GET
def report(request: HttpRequest, public_id) -> HttpResponse:
    """The person's current manager only: the report's latest shared result in summary, its
    plan progress (never the plan's content), and the manager's own assessments of them."""
    # Queries, however many results and assessments: session, user, has_reports (nav), the
    # person, permissions (visible_to), their latest visible result, plan progress (or, when
    # nothing is shared, whether anything was submitted), and the manager's own assessments.
    person = get_object_or_404(direct_reports(request.user), public_id=public_id)
    self_results = Assessment.objects.filter(subject=person, kind=Assessment.Kind.SELF)
    latest = self_results.visible_to(request.user).submitted().for_results().first()
    has_submitted = latest is not None or self_results.submitted().exists()
    progress = None
    if latest is not None:
        statuses = PlanItem.objects.filter(
            plan__in=Plan.objects.progress_visible_to(request.user).filter(assessment=latest)
        ).values_list("status", flat=True)
        progress = services.plan_progress(statuses)
    mine = list(
        Assessment.objects.visible_to(request.user)
        .filter(subject=person, kind=Assessment.Kind.MANAGER, assessor=request.user)
        .order_by("status", "-submitted_at", "-created_at")
    )
    score = services.result_of(latest) if latest else None
    context = {
        "person": person,
        "latest": latest,
        "has_submitted": has_submitted,
        "progress": progress,
        "sentences": [
            axis_sentence(a, person.get_short_name()) for a in (score.strategic, score.leadership)
        ]
        if score
        else [],
        "drafts": [a for a in mine if not a.is_submitted],
        "submitted": [a for a in mine if a.is_submitted],
    }
    return no_store(render(request, "assessments/report.html", context))


@login_required
@require_POST
def team_assess(request: HttpRequest, public_id) -> HttpResponse:
    """The person's current manager only: start (or resume) assessing them, then answer."""
    person = get_object_or_404(direct_reports(request.user), public_id=public_id)
    assessment = services.assessment_start(
        assessor=request.user,
        subject=person,
        current_title=person.current_title,
        target_title=None,
    )
    return redirect("assessments:page", pk=assessment.pk, number=1)


# --- self vs manager ------------------------------------------------------------------------


def _possessive(label: str) -> str:
    return "Your" if label == "You" else f"{label}’s"


def skill_differences(self_result, manager_result) -> list[dict]:
    """Per skill: self score, manager score, self − manager, and whether it is notable."""
    manager_scores = {s.slug: s.score for s in manager_result.skills}
    rows = []
    for skill in self_result.skills:
        mine, theirs = skill.score, manager_scores.get(skill.slug)
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


def agenda(differences: list[dict], self_answers, manager_answers) -> list[dict]:
    """The largest differences first: at least AGENDA_MIN skills, up to AGENDA_MAX when they
    are AGENDA_GAP points apart or more; each with its statements answered side by side."""
    ranked = sorted(
        (d for d in differences if d["gap"] is not None), key=lambda d: (-abs(d["gap"]), d["name"])
    )
    wide = sum(1 for d in ranked if abs(d["gap"]) >= AGENDA_GAP)
    chosen = ranked[: max(AGENDA_MIN, min(AGENDA_MAX, wide))]
    labels = dict(SCALE)
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
                 "self": labels.get(mine.value) if mine else None,
                 "manager": labels.get(theirs.value) if theirs else None,
                 "note": theirs.note if theirs else ""}
            )  # fmt: skip
        items.append({**d, "statements": statements, "prompt": _prompt(d["gap"])})
    return items


def _prompt(gap: float) -> str:
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


def _compare_points(self_a, manager_a, self_label, manager_label):
    """Titles from the manager assessment's snapshot, the self point, the manager point, and
    an arrow from self to manager (stopping short of the square it points at)."""
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


@login_required
@require_GET
def manager_compare(request: HttpRequest, pk) -> HttpResponse:
    """A submitted manager assessment's subject, the manager who wrote it (while they still
    manage the subject), and staff with view_all_results. The self-assessment it is compared
    with is the subject's latest submitted one that the viewer may see (for the manager: a
    shared one). Anyone else: 404."""
    manager_a = get_object_or_404(
        Assessment.objects.visible_to(request.user)
        .submitted()
        .filter(kind=Assessment.Kind.MANAGER)
        .for_results(),
        pk=pk,
    )
    self_a = (
        Assessment.objects.visible_to(request.user)
        .submitted()
        .filter(subject=manager_a.subject, kind=Assessment.Kind.SELF)
        .order_by("-submitted_at", "-created_at")
        .first()
    )
    context = _comparison_context(manager_a, self_a, viewer=request.user)
    return no_store(render(request, "assessments/manager_compare.html", context))


def _comparison_labels(manager_a: Assessment, viewer: User) -> dict:
    """How the page names the two views: "Your view" for the viewer's own, else by first name."""
    subject, assessor = manager_a.subject, manager_a.assessor
    self_label = "You" if viewer == subject else subject.get_short_name()
    manager_label = "You" if viewer == assessor else assessor.get_short_name()
    if viewer == subject:
        heading = f"Your view and {manager_label}’s, side by side"
    elif viewer == assessor:
        heading = f"{self_label}’s view and yours, side by side"
    else:
        heading = f"{self_label}’s view and {manager_label}’s, side by side"
    return {
        "heading": heading,
        "viewer_is_subject": viewer == subject,
        "viewer_is_assessor": viewer == assessor,
        "self_label": self_label,
        "manager_label": manager_label,
        "self_heading": f"{_possessive(self_label)} view",
        "manager_heading": f"{_possessive(manager_label)} view",
    }


def _comparison_context(manager_a: Assessment, self_a: Assessment | None, viewer: User) -> dict:
    context = _comparison_labels(manager_a, viewer)
    points, arrow = _compare_points(
        self_a, manager_a, f"{context['self_label']} (self)", context["manager_heading"]
    )
    context.update(
        {"manager_a": manager_a, "self_a": self_a, "subject": manager_a.subject,
         "frame": charts.map_frame(), "notable_gap": NOTABLE_GAP, "points": points,
         "arrow": arrow}
    )  # fmt: skip
    if self_a is None:
        return context
    differences = skill_differences(services.result_of(self_a), services.result_of(manager_a))
    by_assessment: dict = {self_a.pk: {}, manager_a.pk: {}}
    for answer in Answer.objects.filter(assessment__in=[self_a, manager_a]):
        by_assessment[answer.assessment_id][answer.question_code] = answer
    heading = context["manager_heading"]
    context.update(
        {
            "differences": differences,
            "blind_spots": [d for d in differences if d["kind"] == "blind-spot"],
            "hidden_strengths": [d for d in differences if d["kind"] == "hidden-strength"],
            "agenda": agenda(differences, by_assessment[self_a.pk], by_assessment[manager_a.pk]),
            "axes": [
                _axis_row(name, getattr(self_a, name), getattr(manager_a, name), heading)
                for name in ("strategic", "leadership")
            ],
        }
    )
    return context


def _axis_row(name: str, mine: float | None, theirs: float | None, manager_heading: str) -> dict:
    """One axis: both positions and, in words, where the manager's view sits from the self's."""
    low, high, _ = AXIS_WORDS[name]
    change = None if mine is None or theirs is None else round(theirs) - round(mine)
    if change is None:
        reading = "Not placed in both"
    elif change == 0:
        reading = "The same"
    else:
        points = f"{abs(change)} point{'s' if abs(change) != 1 else ''}"
        reading = f"{manager_heading} sits {points} more {high if change > 0 else low}"
    return {"words": AXIS_WORDS[name], "self": mine, "manager": theirs, "reading": reading}
