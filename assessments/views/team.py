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
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Collate, Concat, Lower, NullIf, StrIndex, Substr
from django.db.models.lookups import Exact
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.services import direct_reports
from assessments import charts, fragments, services
from assessments.forms import SCALE
from assessments.models import Answer, Assessment, Plan, PlanItem
from assessments.scoring import QUADRANT_LABELS
from assessments.templatetags.numbers import with_minus
from assessments.views import team_markup
from assessments.views.common import no_store
from assessments.views.results import AXIS_WORDS, axis_sentence

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
    html: str = ""  # the table row, built by team_markup.table_row

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
                cells.append({"number": with_minus(f"{n:+d}"), "word": word})
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


SELF, SUBMITTED = Assessment.Kind.SELF, Assessment.Status.SUBMITTED


def _has_submitted() -> Exists:
    """Whether the person (the outer row) has submitted any self-assessment at all: "not
    shared" and "not taken yet" read differently."""
    return Exists(Assessment.objects.filter(subject=OuterRef("pk"), kind=SELF, status=SUBMITTED))


def team_queryset(manager: User) -> QuerySet[User]:
    """The current direct reports, each joined (as ``latest``) to at most one row: their latest
    shared, submitted self-assessment, found by its marker (``is_latest_shared``, kept by
    assessments.latest; the database refuses it on anything but a shared, submitted
    self-assessment) rather than by searching their history."""
    marked = Q(assessments__is_latest_shared=True)
    return direct_reports(manager).alias(latest=FilteredRelation("assessments", condition=marked))


@dataclass(frozen=True)
class TeamQuery:
    """The GET filters (quadrant, status) and sort (``-`` prefix: descending) of the team page.

    Unknown values are ignored rather than refused: a stale bookmark still shows the team.
    """

    quadrant: str = ""
    status: str = ""
    sort: str = "name"

    @classmethod
    def from_params(cls, params) -> "TeamQuery":
        quadrant = params.get("quadrant", "")
        status = params.get("status", "")
        sort = params.get("sort", "name")
        return cls(
            quadrant=quadrant if quadrant in QUADRANT_LABELS else "",
            status=status if status in STATUS_LABELS else "",
            sort=sort if sort.lstrip("-") in SORTS else "name",
        )

    @property
    def current(self) -> dict[str, str]:
        return {"quadrant": self.quadrant, "status": self.status, "sort": self.sort}

    def matching(self, counts: dict) -> int:
        """How many people the filters keep, from the counts of everyone (no second count)."""
        if self.quadrant:
            return counts["quadrants"][self.quadrant] if self.status in ("", SHARED) else 0
        return counts["statuses"][self.status] if self.status else counts["everyone"]

    def apply(self, team: QuerySet[User]) -> QuerySet[User]:
        """Filter and order in the database. Rows without a number for the sort key go last,
        by name, whichever the direction; names compare case-insensitively."""
        if self.quadrant:
            team = team.filter(latest__quadrant=self.quadrant)
        if self.status == SHARED:
            team = team.filter(latest__isnull=False)
        elif self.status:
            taken = _has_submitted()
            team = team.filter(latest__isnull=True).filter(
                taken if self.status == NOT_SHARED else ~taken
            )
        key, descending = self.sort.lstrip("-"), self.sort.startswith("-")
        name = _name_key()
        if key == "name":
            order = [name.desc() if descending else name.asc()]
        else:
            team = team.annotate(latest_pk=F("latest__id"))
            value = _progress_key() if key == "progress" else F(f"latest__{SORT_FIELDS[key]}")
            by_value = value.desc(nulls_last=True) if descending else value.asc(nulls_last=True)
            order = [by_value, name.asc()]
        # Then by the stored name and the (unique) email: the same order on every page.
        return team.order_by(*order, "name", "email")


#: The column of the joined result that each numeric sort reads.
SORT_FIELDS = {"strategic": "strategic", "leadership": "leadership", "date": "submitted_at"}


def _name_key():
    """``display_name.casefold()`` in SQL: the name, or the email when there is none, in lower
    case. On PostgreSQL compared by code point ("C"), as Python compares strings, rather than
    by the database's locale."""
    key = Lower(Coalesce(NullIf("name", Value("")), "email"))
    return Collate(key, "C") if connection.vendor == "postgresql" else key


def _progress_key() -> Subquery:
    """The plan progress percent of the person's joined result (``latest_pk``), rounded as
    Python's ``round`` does (halves to even), or NULL when that plan has no actions."""
    stats = (
        PlanItem.objects.filter(plan__assessment=OuterRef("latest_pk"))
        .order_by()
        .values("plan")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=PlanItem.Status.DONE)))
    )
    # In integers: up = 100 * done / total rounded half up. It was a tie (an exact half) when
    # up * 2 * total == 200 * done + total; then an odd up goes back down to the even number.
    twice = F("done") * 200 + F("total")
    up = ExpressionWrapper(twice / (F("total") * 2), output_field=IntegerField())
    tie_to_odd = Exact(F("up") * F("total") * 2, twice) & Exact(F("up") % 2, 1)
    percent = stats.annotate(up=up).annotate(
        percent=F("up") - Case(When(tie_to_odd, then=Value(1)), default=Value(0))
    )
    return Subquery(percent.values("percent")[:1], output_field=IntegerField())


def _first_name():
    """``User.get_short_name()`` in SQL: the name up to its first space, or the email."""
    before_space = StrIndex(Concat("name", Value(" ")), Value(" ")) - 1
    return Case(When(name="", then="email"), default=Substr("name", 1, before_space))


def team_counts(team: QuerySet[User]) -> dict:
    """One query: everyone, by status, (shared results) by quadrant, and by first name (a
    first name names a person on the map only when nobody else on the team has it).

    Grouped by first name and quadrant (NULL: no shared result), so only two counts are asked
    of the database and the totals are summed here."""
    groups = team.values(first=_first_name(), quadrant=F("latest__quadrant")).annotate(
        people=Count("pk"),
        taken=Count("pk", filter=Q(latest__isnull=True) & Q(_has_submitted())),
    )
    everyone, not_shared = 0, 0
    quadrants = dict.fromkeys(QUADRANT_LABELS, 0)
    first_names: Counter = Counter()
    shared = 0
    for group in groups.order_by():
        everyone += group["people"]
        first_names[group["first"]] += group["people"]
        if group["quadrant"] is None:
            not_shared += group["taken"]
        else:
            shared += group["people"]
            if group["quadrant"] in quadrants:
                quadrants[group["quadrant"]] += group["people"]
    statuses = {SHARED: shared, NOT_SHARED: not_shared, NOT_TAKEN: everyone - shared - not_shared}
    return {
        "everyone": everyone,
        "statuses": statuses,
        "quadrants": quadrants,
        "first_names": first_names,
    }


def _progress_by_assessment(ids: list) -> dict:
    """One query: done / total plan actions per result, counted in the database. The ids are
    results this manager may see (team_rows checks each), whose plan progress they may see
    too (Plan.objects.progress_visible_to: a report's plan, with its result shared)."""
    counts = (
        PlanItem.objects.filter(plan__assessment_id__in=ids)
        .values("plan__assessment_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=PlanItem.Status.DONE)))
    )
    return {c["plan__assessment_id"]: _progress(c["done"], c["total"]) for c in counts}


def team_rows(manager: User, people: list[User], first_names: Counter) -> list[TeamRow]:
    """TeamRows for these people (each read by ``_with_row_fields``), their joined results and
    those results' plan progress: two queries however many people.
    ``first_names``: how many people on the whole team have each first name.

    The joined result is a current direct report's shared, submitted self-assessment (the
    page's query and the marker's database constraint make it so); each is checked against
    the visibility rule all the same (``Assessment.is_visible_to``, no query) before any of
    its numbers are shown."""
    by_pk = {person.latest_pk: person for person in people if person.latest_pk}
    results = {}
    if by_pk:
        # Only the row fields of the page's (at most fifty) results: the stored result itself
        # stays unread, the heatmap reads its small copy of the skill scores.
        for result in Assessment.objects.filter(pk__in=list(by_pk)).only(*ROW_FIELDS):
            person = by_pk[result.pk]
            if result.subject_id != person.pk:
                continue
            result.subject = person
            if result.is_visible_to(manager):
                results[person.pk] = result
    progress = _progress_by_assessment([r.pk for r in results.values()]) if results else {}
    rows = []
    for person in people:
        short = person.get_short_name()
        label = short if first_names[short] == 1 else person.display_name
        a = results.get(person.pk)
        if a is None:
            state = NOT_SHARED if person.has_submitted else NOT_TAKEN
            rows.append(TeamRow(person=person, label=label, state=state))
            continue
        skills = {slug: score for slug, _name, score in a.skill_scores or ()}
        names = {slug: name for slug, name, _score in a.skill_scores or ()}
        row_progress = progress.get(a.pk, _progress(0, 0))
        rows.append(TeamRow(person, label, SHARED, a, row_progress, skills, names))
    return rows


#: What the table, heatmap, map and CSV show of a result (nothing else is read), and what
#: the visibility rule looks at.
ROW_FIELDS = (
    "subject_id", "assessor_id", "kind", "status", "shared_with_manager", "submitted_at",
    "quadrant", "strategic", "leadership", "current_title_name", "target_title_name",
    "closest_title_name", "skill_scores",
)  # fmt: skip


def _with_row_fields(team: QuerySet[User]) -> QuerySet[User]:
    """What team_rows needs of each person: the joined result's id, and (only where there is
    none) whether they submitted anything."""
    fields = ("public_id", "name", "email", "manager_id", "current_title__short_name")
    return team.only(*fields).annotate(
        latest_pk=F("latest__id"),
        has_submitted=Case(
            When(latest__isnull=False, then=Value(True)),
            default=_has_submitted(),
            output_field=BooleanField(),
        ),
    )


def _progress(done: int, total: int) -> dict[str, int]:
    return {"done": done, "total": total, "percent": round(100 * done / total) if total else 0}


class _Counted:
    """A queryset whose length is already known, for the Paginator: it slices the queryset for
    the page without counting it again."""

    def __init__(self, queryset: QuerySet, count: int) -> None:
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key):
        return self.queryset[key]


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


def heatmap(rows: list[TeamRow], report_url=None) -> tuple[list[dict], list[dict]]:
    """Skill columns (in the order results list them) and, per shared row, banded cells (and,
    given ``report_url``, the row's markup as ``html``)."""
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
        html = team_markup.heat_row(row, cells, report_url) if report_url else ""
        table.append({"row": row, "cells": cells, "html": html})
    return [{"slug": s, "name": n} for s, n in columns.items()], table


def team_map_points(rows: list[TeamRow], roles=None) -> list[charts.MapPoint]:
    """Titles as reference points, then each report with a placed result."""
    titles = [
        charts.point(r.short_name, r.expected_strategic, r.expected_leadership, kind="title")
        for r in (services.catalog().roles if roles is None else roles)
    ]
    people = [
        charts.point(r.label, r.assessment.strategic, r.assessment.leadership, kind="report")
        for r in rows
        if r.assessment
        and r.assessment.strategic is not None
        and r.assessment.leadership is not None
    ]
    return charts.spread_labels(titles) + charts.spread_labels(people)


def _team_or_404(request: HttpRequest) -> QuerySet[User]:
    if not request.user.has_reports:
        raise Http404
    return team_queryset(request.user)


@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    """A person with at least one current direct report: their team's shared results, who has
    not taken or not shared it, the team map, the skill heatmap. Anyone else: 404.

    The page is drawn once per revision of the team (``User.team_revision``, which every
    change the page shows moves in its own transaction: a report's submit, sharing switch,
    plan progress or rebuild, a report joining, leaving, renamed or deactivated), per set of
    filters and per catalog: a manager reading, sorting and paging through an unchanged team
    gets the drawn page (see assessments.fragments)."""
    if not request.user.has_reports:
        raise Http404
    catalog = services.catalog()
    params = tuple((name, tuple(values)) for name, values in sorted(request.GET.lists()))
    key = (request.user.pk, request.user.team_revision, catalog.token, params)
    if catalog.token is None:  # no catalog revision to key the map's titles on: draw each time
        body = _team_body(request, catalog.roles)
    else:
        body = fragments.teams.get_or_render(key, lambda: _team_body(request, catalog.roles))
    return no_store(render(request, "assessments/team.html", {"body": body}))


def _team_body(request: HttpRequest, roles) -> str:
    # Queries, the same for 5 or 5,000 reports: the counts of everyone, this page's people,
    # those people's results, their plan progress counts (the titles come from the catalog).
    team = team_queryset(request.user)
    counts = team_counts(team)
    if not counts["everyone"]:
        raise Http404
    query = TeamQuery.from_params(request.GET)
    # A page of people at a time: a manager of a thousand reads them fifty at a time, and the
    # page stays light. The counts and the filters cover everyone; counting, filtering,
    # sorting and paging happen in the database.
    people = _Counted(_with_row_fields(query.apply(team)), query.matching(counts))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = team_rows(request.user, list(page.object_list), counts["first_names"])
    page.object_list = rows
    report_url = team_markup.url_maker("assessments:report")
    result_url = team_markup.url_maker("assessments:result")
    for row in rows:
        row.html = team_markup.table_row(row, report_url, result_url)
    columns, heat_rows = heatmap(rows, report_url)
    points = team_map_points(rows, roles)
    context = {
        "rows": rows,
        "page": page,
        "page_query": _query_without_page(request),
        "team_size": counts["everyone"],
        "status_counts": [
            (key, label, counts["statuses"][key]) for key, label in STATUS_LABELS.items()
        ],
        "quadrant_counts": [
            (key, label, counts["quadrants"][key]) for key, label in QUADRANT_LABELS.items()
        ],
        "current": query.current,
        "sorts": sort_links(query.current),
        "status_labels": STATUS_LABELS,
        "quadrant_labels": QUADRANT_LABELS,
        "frame": charts.map_frame(),
        "points": points,
        "title_points": [p for p in points if p.kind == "title"],
        "people_svg": team_markup.report_points(points),
        "heat_columns": columns,
        "heat_rows": heat_rows,
        "csv_query": request.GET.urlencode(),
    }
    return render_to_string("assessments/includes/_team_body.html", context, request)


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
    team = _team_or_404(request)
    people = list(_with_row_fields(TeamQuery.from_params(request.GET).apply(team)))
    rows = team_rows(request.user, people, Counter(p.get_short_name() for p in people))
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
    # Queries, however many results and assessments: the session (with the user, "has
    # reports" and the catalog token), the person, permissions (visible_to), their latest
    # visible result, plan progress (or, when nothing is shared, whether anything was
    # submitted), and the manager's own assessments.
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
