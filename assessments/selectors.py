"""Reads of assessments that views share, through the ORM, each with the joins and columns
its page needs. Access is in the querysets: ``Assessment.objects.visible_to``,
``Plan.objects.progress_visible_to`` and ``accounts.services.direct_reports``."""

from collections import Counter
from typing import Any

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

from accounts.models import User
from accounts.services import direct_reports
from assessments.models import Answer, Assessment, Plan, PlanItem
from assessments.scoring import QUADRANT_LABELS
from assessments.team_table import (
    NOT_SHARED,
    NOT_TAKEN,
    SHARED,
    TeamCounts,
    TeamQuery,
    TeamRow,
    team_rows,
)

# --- Team and report reads (a manager's team page, its CSV, a report's page) ---------------
#
# The team page of a manager with a thousand reports counts, filters, sorts and pages in the
# database: each report is joined to at most one result, the one marked ``is_latest_shared``
# (kept by the submit and sharing services; the database refuses the mark on anything but a
# shared, submitted self-assessment), whose columns the partial index latest_shared_team_idx
# holds. The number of queries does not grow with the team.

SELF, MANAGER = Assessment.Kind.SELF, Assessment.Kind.MANAGER
SUBMITTED = Assessment.Status.SUBMITTED

#: What the table, heatmap, map and CSV show of a result; nothing else of it is read (the
#: stored result stays unread: the heatmap reads its small copy of the skill scores).
ROW_FIELDS = (
    "subject_id", "submitted_at", "quadrant", "placement", "strategic", "leadership",
    "current_title_name", "target_title_name", "closest_title_name", "skill_scores",
)  # fmt: skip

#: The column of the joined result that each numeric sort reads.
SORT_FIELDS = {"strategic": "strategic", "leadership": "leadership", "date": "submitted_at"}


def team_queryset(manager: User) -> QuerySet[User]:
    """The current direct reports, each joined (as ``latest``) to at most one row: their
    latest shared, submitted self-assessment, found by its marker rather than by searching
    their history."""
    marked = Q(assessments__is_latest_shared=True)
    return direct_reports(manager).alias(latest=FilteredRelation("assessments", condition=marked))


def _has_submitted() -> Exists:
    """Whether the person (the outer row) has submitted any self-assessment at all: "not
    shared" and "not taken yet" read differently, and the manager may know which."""
    return Exists(Assessment.objects.filter(subject=OuterRef("pk"), kind=SELF, status=SUBMITTED))


def _name_key() -> Lower | Collate:
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


def _first_name() -> Case:
    """``User.get_short_name()`` in SQL: the name up to its first space, or the email."""
    before_space = StrIndex(Concat("name", Value(" ")), Value(" ")) - 1
    return Case(When(name="", then="email"), default=Substr("name", 1, before_space))


def team_filtered(team: QuerySet[User], query: TeamQuery) -> QuerySet[User]:
    """``team`` (from team_queryset) filtered and ordered in the database. Rows without a
    number for the sort key go last, by name, whichever the direction; names compare
    case-insensitively; ties break on the stored name and the unique email, so every page
    of the same query holds the same people."""
    if query.quadrant:
        team = team.filter(latest__quadrant=query.quadrant)
    if query.status == SHARED:
        team = team.filter(latest__isnull=False)
    elif query.status:
        taken = _has_submitted()
        team = team.filter(latest__isnull=True).filter(
            taken if query.status == NOT_SHARED else ~taken
        )
    key, descending = query.sort.lstrip("-"), query.sort.startswith("-")
    name = _name_key()
    if key == "name":
        order = [name.desc() if descending else name.asc()]
    else:
        team = team.annotate(latest_pk=F("latest__id"))
        value = _progress_key() if key == "progress" else F(f"latest__{SORT_FIELDS[key]}")
        by_value = value.desc(nulls_last=True) if descending else value.asc(nulls_last=True)
        order = [by_value, name.asc()]
    return team.order_by(*order, "name", "email")


def team_people(team: QuerySet[User]) -> QuerySet[User]:
    """The people of ``team`` with only what team_rows reads: their names and title, the
    joined result's id (``latest_pk``) and, where there is none, whether they submitted any
    self-assessment (``has_submitted``)."""
    fields = ("public_id", "name", "email", "manager_id", "current_title__short_name")
    return team.only(*fields).annotate(
        latest_pk=F("latest__id"),
        has_submitted=Case(
            When(latest__isnull=False, then=Value(True)),
            default=_has_submitted(),
            output_field=BooleanField(),
        ),
    )


def team_counts(team: QuerySet[User]) -> TeamCounts:
    """One query: everyone, by status, (shared results) by quadrant, and by first name.

    Grouped by first name and quadrant (NULL: no shared result), so only two counts are asked
    of the database and the totals are summed here."""
    groups = team.values(first=_first_name(), quadrant=F("latest__quadrant")).annotate(
        people=Count("pk"),
        taken=Count("pk", filter=Q(latest__isnull=True) & Q(_has_submitted())),
    )
    everyone, shared, not_shared = 0, 0, 0
    quadrants = dict.fromkeys(QUADRANT_LABELS, 0)
    first_names: Counter = Counter()
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
    return TeamCounts(everyone, statuses, quadrants, first_names)


class Counted:
    """A queryset whose length is already known (from team_counts), for the Paginator, which
    takes any sliceable object with ``count()``: it slices the queryset for the page without
    counting it again."""

    def __init__(self, queryset: QuerySet, count: int) -> None:
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key: int | slice) -> Any:
        return self.queryset[key]


def team_rows_for(manager: User, people: list[User], first_names: Counter) -> list[TeamRow]:
    """TeamRows for these people (read by team_people): two queries however many people, one
    for their joined results and one for those results' plan progress, each through its
    model's access rule (a result the manager may not see is shown as no result)."""
    by_pk = {person.latest_pk: person for person in people if person.latest_pk}
    results: dict[Any, Assessment] = {}
    if by_pk:
        visible = Assessment.objects.visible_to(manager).filter(pk__in=list(by_pk))
        for result in visible.only(*ROW_FIELDS):
            person = by_pk[result.pk]
            if result.subject_id == person.pk:
                results[person.pk] = result
    done_of = {}
    if results:
        plans = Plan.objects.progress_visible_to(manager).filter(
            assessment_id__in=[r.pk for r in results.values()]
        )
        counts = (
            PlanItem.objects.filter(plan__in=plans)
            .values("plan__assessment_id")
            .annotate(total=Count("pk"), done=Count("pk", filter=Q(status=PlanItem.Status.DONE)))
        )
        done_of = {c["plan__assessment_id"]: (c["done"], c["total"]) for c in counts}
    return team_rows(people, results, done_of, first_names)


def report_overview(manager: User, person: User) -> dict[str, Any]:
    """What a report's page shows to their manager (``person`` from direct_reports): their
    latest visible self-assessment (``latest``, or None), whether they submitted any at all
    (``has_submitted``), the statuses of that result's plan actions (progress only, never
    the plan's content: ``plan_statuses``) and the manager's own assessments of them
    (``mine``, drafts first, newest first), and of a shared plan its start (for the
    check-in dates: ``plan_started``) and what came of its done actions (``evidence``: title
    and evidence, which the person wrote for that purpose). Four queries at most."""
    self_results = Assessment.objects.filter(subject=person, kind=SELF)
    latest = self_results.visible_to(manager).submitted().for_results().first()
    statuses: list[str] = []
    evidence: list[tuple[str, str]] = []
    started = None
    if latest is not None:
        plans = Plan.objects.progress_visible_to(manager).filter(assessment=latest)
        started = plans.values_list("created_at", flat=True).first()
        rows = PlanItem.objects.filter(plan__in=plans).values_list("status", "title", "evidence")
        for status, title, said in rows.order_by("horizon", "order"):
            statuses.append(status)
            if status == PlanItem.Status.DONE and said:
                evidence.append((title, said))
    mine = (
        Assessment.objects.visible_to(manager)
        .filter(subject=person, kind=MANAGER, assessor=manager)
        .order_by("status", "-submitted_at", "-created_at")
    )
    # A manager may know whether a report took the self-assessment at all (the page says
    # "taken, not shared"): only that is asked of results they may not see, never a row.
    return {
        "latest": latest,
        "has_submitted": latest is not None or self_results.submitted().exists(),
        "plan_statuses": statuses,
        "plan_started": started,
        "evidence": evidence,
        "mine": list(mine),
    }


def latest_self_assessment(viewer: User, subject: User) -> Assessment | None:
    """The subject's latest submitted self-assessment that the viewer may see (for their
    manager: a shared one); None when there is none."""
    return (
        Assessment.objects.visible_to(viewer)
        .submitted()
        .filter(subject=subject, kind=SELF)
        .order_by("-submitted_at", "-created_at")
        .first()
    )


def answers_by_code(assessments: list[Assessment]) -> dict[Any, dict[str, Answer]]:
    """Per assessment (already read through ``visible_to``): its answers by question code."""
    found: dict[Any, dict[str, Answer]] = {a.pk: {} for a in assessments}
    for answer in Answer.objects.filter(assessment__in=assessments):
        found[answer.assessment_id][answer.question_code] = answer
    return found
