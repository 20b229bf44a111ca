"""Team review: a manager's direct reports, one report's page, assessing a report, and the
comparison of a self-assessment with a manager assessment (with a suggested 1:1 agenda).

Access is the queryset: reports come from ``accounts.services.direct_reports`` (current, active
direct reports, read fresh on every request) and assessments from
``Assessment.objects.visible_to``, so a manager never reaches a draft, an unshared result or
someone who does not report to them: those are 404s, like any unknown id. Every page is drawn
on every request (reads: assessments.selectors; rules: assessments.team_table and
assessments.comparison). The CSV export is in assessments.views.team_export.
"""

import uuid
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.services import direct_reports
from assessments import charts, comparison, selectors, services
from assessments.forms import SCALE
from assessments.models import Assessment
from assessments.plan_draft import CHECK_IN_DAY, REVIEW_DAY
from assessments.reading import AXIS_WORDS, axis_sentence
from assessments.scoring import AXES, QUADRANT_LABELS
from assessments.team_table import (
    PAGE_SIZE,
    STATUS_LABELS,
    TeamCounts,
    TeamQuery,
    heatmap,
    sort_links,
    team_map_points,
)
from assessments.views.common import no_store

# --- the team page --------------------------------------------------------------------------


def team_or_404(user: User) -> QuerySet[User]:
    """The user's team (selectors.team_queryset); a 404 for anyone with no current report."""
    if not user.has_reports:
        raise Http404
    return selectors.team_queryset(user)


@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    """A person with at least one current direct report: their team's shared results, who has
    not taken or not shared it, the team map, the skill heatmap. Anyone else: 404.

    Fifty people a page, counted, filtered, sorted and paged in the database; the counts and
    filters cover everyone. Queries, the same for 5 or 5,000 reports: the counts, this page's
    people, their results, their plan progress, and the titles for the map."""
    team = team_or_404(request.user)
    counts = selectors.team_counts(team)
    if not counts.everyone:
        raise Http404
    query = TeamQuery.from_params(request.GET)
    people = selectors.team_people(selectors.team_filtered(team, query))
    page = Paginator(selectors.Counted(people, query.matching(counts)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.team_rows_for(
        request.user, list(page.object_list), counts.first_names
    )
    titles = services.catalog().roles
    context = _team_context(request, query, counts, page, titles)
    return no_store(render(request, "assessments/team.html", context))


def _team_context(
    request: HttpRequest, query: TeamQuery, counts: TeamCounts, page: Page, titles: list
) -> dict:
    """What team.html draws; ``page.object_list`` holds this page's TeamRows."""
    rows = page.object_list
    columns, heat_rows = heatmap(rows)
    points = team_map_points(rows, titles)
    without_page = request.GET.copy()
    without_page.pop("page", None)
    return {
        "rows": rows,
        "page": page,
        "page_query": without_page.urlencode(),
        "team_size": counts.everyone,
        "status_counts": [(k, label, counts.statuses[k]) for k, label in STATUS_LABELS.items()],
        "quadrant_counts": [
            (key, label, counts.quadrants[key]) for key, label in QUADRANT_LABELS.items()
        ],
        "current": query.current,
        "sorts": sort_links(query.current),
        "status_labels": STATUS_LABELS,
        "quadrant_labels": QUADRANT_LABELS,
        "frame": charts.map_frame(),
        "points": points,
        "heat_columns": columns,
        "heat_rows": heat_rows,
        "csv_query": request.GET.urlencode(),
    }


# --- one report -----------------------------------------------------------------------------


@login_required
@require_GET
def report(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The person's current manager only: the report's latest shared result in summary, its
    plan progress (never the plan's content), and the manager's own assessments of them.
    Anyone else: 404."""
    person = get_object_or_404(direct_reports(request.user), public_id=public_id)
    overview = selectors.report_overview(request.user, person)
    latest, mine = overview["latest"], overview["mine"]
    score = services.result_of(latest) if latest else None
    sentences = []
    if score:
        short = person.get_short_name()
        sentences = [axis_sentence(axis, short) for axis in (score.strategic, score.leadership)]
    context = {
        "person": person,
        "latest": latest,
        "has_submitted": overview["has_submitted"],
        "progress": services.plan_progress(overview["plan_statuses"]) if latest else None,
        "moments": _moments(overview["plan_started"]),
        "evidence": overview["evidence"],
        "sentences": sentences,
        "drafts": [a for a in mine if not a.is_submitted],
        "submitted": [a for a in mine if a.is_submitted],
    }
    return no_store(render(request, "assessments/report.html", context))


def _moments(started) -> list[dict]:
    """A shared plan's check-in (day 45) and review (day 90) dates, for the manager."""
    if started is None:
        return []
    start = timezone.localdate(started)
    return [
        {"day": day, "date": start + timedelta(days=day), "kind": kind}
        for day, kind in ((CHECK_IN_DAY, "Check-in"), (REVIEW_DAY, "Review"))
    ]


@login_required
@require_POST
def team_assess(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The person's current manager only: start (or resume) assessing them, then answer.
    Anyone else: 404."""
    person = get_object_or_404(direct_reports(request.user), public_id=public_id)
    assessment = services.assessment_start(
        assessor=request.user,
        subject=person,
        current_title=person.current_title,
        target_title=None,
    )
    return redirect("assessments:page", pk=assessment.pk, number=1)


# --- self vs manager ------------------------------------------------------------------------


@login_required
@require_GET
def manager_compare(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
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
    self_a = selectors.latest_self_assessment(request.user, manager_a.subject)
    context = _comparison_context(manager_a, self_a, viewer=request.user)
    return no_store(render(request, "assessments/manager_compare.html", context))


def _comparison_context(manager_a: Assessment, self_a: Assessment | None, viewer: User) -> dict:
    subject, assessor = manager_a.subject, manager_a.assessor
    context = comparison.labels(
        subject.get_short_name(), assessor.get_short_name(), viewer == subject, viewer == assessor
    )
    points, arrow = comparison.compare_points(
        self_a, manager_a, f"{context['self_label']} (self)", context["manager_heading"]
    )
    context.update(
        {"manager_a": manager_a, "self_a": self_a, "subject": subject,
         "frame": charts.map_frame(), "notable_gap": comparison.NOTABLE_GAP, "points": points,
         "arrow": arrow}
    )  # fmt: skip
    if self_a is None:
        return context
    answers = selectors.answers_by_code([self_a, manager_a])
    context.update(
        comparison.side_by_side(
            services.result_of(self_a),
            services.result_of(manager_a),
            answers[self_a.pk],
            answers[manager_a.pk],
            dict(SCALE),
        )
    )
    heading = context["manager_heading"]
    context["axes"] = [
        comparison.axis_row(AXIS_WORDS[n], getattr(self_a, n), getattr(manager_a, n), heading)
        for n in AXES
    ]
    return context
