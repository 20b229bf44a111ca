"""Results, history and comparison of two results.

A result page is for its subject, their manager (a shared self-assessment), the manager who
wrote a manager assessment, and staff holding ``assessments.view_all_results``; history and
comparison are for the signed-in person, of their own results. Anything else is a 404.

A result's body is drawn once per result, version and viewer (assessments.result_cache),
and only for a request that has passed the access check.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from assessments import charts, reading, result_cache, scoring, services
from assessments.models import Assessment
from assessments.reading import AXIS_WORDS, axis_rows, placement_summary
from assessments.views.common import bad_request, no_store, unexpected_post

TRAIL_LENGTH = 10
DRIVERS_PER_SIDE = services.DRIVERS_PER_SIDE


def map_points(assessment: Assessment, result: scoring.ScoreResult, label: str = "You"):
    """Reference titles from the result's own snapshot, the target (by the name frozen with the
    result) highlighted, and the person."""
    target_name = assessment.target_title_name
    points = [
        charts.point(
            t["name"],
            t["strategic"],
            t["leadership"],
            kind="target" if t["name"] == target_name else "title",
        )
        for t in assessment.result.get("titles", [])
    ]
    points = charts.spread_labels(points)
    s, lead = result.strategic, result.leadership
    if s.position is not None and lead.position is not None:
        you = charts.point(
            label, s.position, lead.position, kind="you", band_x=s.band, band_y=lead.band
        )
        points = charts.make_room_for(you, points)
        points.append(charts.clear_label(you, points))
    return points


def skill_rows(assessment: Assessment, result: scoring.ScoreResult):
    """Skills grouped as on the questionnaire, each with the target title's expectation."""
    snapshot = assessment.result
    target = next(
        (t for t in snapshot.get("titles", []) if t["name"] == assessment.target_title_name),
        None,
    )
    expected = target["expectations"] if target else {}
    groups: dict[str, dict] = {}
    for skill in result.skills:
        name = snapshot.get("groups", {}).get(skill.group, skill.group)
        group = groups.setdefault(skill.group, {"name": name, "skills": []})
        bar = charts.bars([(skill.name, skill.score, expected.get(skill.slug))])[0]
        group["skills"].append({"skill": skill, "bar": bar, "expected": expected.get(skill.slug)})
    return list(groups.values())


def pole_rows(assessment: Assessment, score: scoring.ScoreResult) -> list[dict]:
    """Per axis, the score at each end as stored at submission: on v2 the two poles'
    statements, on v1 the average skill score at each end."""
    stored = (assessment.result or {}).get("poles", {})
    rows = []
    unit = "statements" if score.instrument >= 2 else "skills"
    for axis in (score.strategic, score.leadership):
        ends = stored.get(axis.axis)
        if not ends or ends.get("high") is None or ends.get("low") is None:
            continue
        low_word, high_word, title = AXIS_WORDS[axis.axis]
        rows.append(
            {
                "title": title,
                "axis": axis,
                "bars": charts.bars(
                    [
                        (f"{high_word.capitalize()} {unit}", ends["high"], None),
                        (f"{low_word.capitalize()} {unit}", ends["low"], None),
                    ]
                ),
                "difference": ends["high"] - ends["low"],
            }
        )
    return rows


# --- the result page ------------------------------------------------------------------------

#: The version of the drawn body: bump it with every change to _result_body.html, _map.html or
#: the code below that feeds them, so no body drawn the old way is served again.
BODY_VERSION = 2


def visible_result(request: HttpRequest, pk) -> Assessment:
    """A submitted result the requester may see, else 404 (an unknown id and someone else's
    result alike). One row by primary key, then ``Assessment.is_visible_to`` in Python (held
    to the ``visible_to`` queryset by a test)."""
    assessment = get_object_or_404(
        Assessment.objects.submitted()
        .select_related("plan", "closest_title")
        .defer("result", "skill_scores", "plan__content", "plan__target_reason"),
        pk=pk,
    )
    if assessment.subject_id == request.user.pk:
        assessment.subject = request.user  # already loaded: no need to read it again
    if not assessment.is_visible_to(request.user):
        raise Http404
    return assessment


def earlier_results(assessment: Assessment) -> list[tuple]:
    """The subject's placed self-assessments before this one, newest first:
    (id, submitted_at, strategic, leadership)."""
    return list(
        Assessment.objects.submitted()
        .filter(
            subject=assessment.subject_id,
            kind=Assessment.Kind.SELF,
            submitted_at__lt=assessment.submitted_at,
            strategic__isnull=False,
            leadership__isnull=False,
        )
        .order_by("-submitted_at")
        .values_list("pk", "submitted_at", "strategic", "leadership")[:TRAIL_LENGTH]
    )


@login_required
@require_GET
def result(request: HttpRequest, pk) -> HttpResponse:
    """The subject, their manager (shared self-assessments only), the manager who wrote a
    manager assessment, and staff with view_all_results. Anyone else: 404."""
    assessment = visible_result(request, pk)
    is_subject = request.user.pk == assessment.subject_id
    label = "You" if is_subject else assessment.subject.get_short_name()
    trail = earlier_results(assessment) if is_subject and assessment.is_self else []
    # The body is drawn from the frozen result alone, for these eyes and this trail.
    viewer = "the subject" if is_subject else label
    key = result_cache.key(assessment.pk, BODY_VERSION, viewer, [row[0] for row in trail])
    body = result_cache.body(key, lambda: _result_body(assessment, is_subject, label, trail))
    closest = assessment.closest_title
    context = {
        "assessment": assessment,
        "is_subject": is_subject,
        "who": label,
        "body": body,
        "closest": closest,
        "responsibilities": list(closest.responsibilities.all()) if closest else [],
        "plan": getattr(assessment, "plan", None) if is_subject and assessment.is_self else None,
    }
    return no_store(render(request, "assessments/result.html", context))


def _result_body(assessment: Assessment, is_subject: bool, label: str, trail: list) -> str:
    """The map, the skill profile and "why you are here", drawn from the stored result, with
    the trail of earlier results for the person themselves."""
    assessment.refresh_from_db(fields=["result"])
    score = services.result_of(assessment)
    trail_points = [
        charts.point(f"{when:%d %b %Y}", strategic, leadership, kind="trail")
        for _, when, strategic, leadership in reversed(trail)
    ]
    points = trail_points + map_points(assessment, score, label)
    you = [p for p in points if p.kind == "you"]
    context = {
        "assessment": assessment,
        "placement": placement_summary(score),
        "is_subject": is_subject,
        "who": label,
        "frame": charts.map_frame(),
        "points": points,
        "trail": charts.trail_path(trail_points + you),
        "trail_rows": [
            {"submitted_at": when, "strategic": strategic, "leadership": leadership}
            for _, when, strategic, leadership in trail
        ],
        "axes": axis_rows(score, "You" if is_subject else label),
        "skill_groups": skill_rows(assessment, score),
        "poles": pole_rows(assessment, score),
        "bar_width": charts.BAR_WIDTH,
        "instrument": score.instrument,
        "week": reading.week_rows(score),
        "flags": reading.flag_texts(score),
        "style": reading.style_reading(score),
    }
    return render_to_string("assessments/includes/_result_body.html", context)


@login_required
@require_POST
def sharing(request: HttpRequest, pk) -> HttpResponse:
    """The subject only: share or stop sharing a submitted self-assessment with their manager."""
    assessment = get_object_or_404(
        Assessment.objects.filter(
            subject=request.user, kind=Assessment.Kind.SELF, status=Assessment.Status.SUBMITTED
        ),
        pk=pk,
    )
    if reason := unexpected_post(request, {"shared"}):
        return bad_request(request, reason)
    value = request.POST.get("shared")
    if value not in {"yes", "no"}:
        return bad_request(request, "Choose whether to share this result.")
    services.assessment_set_sharing(assessment=assessment, shared=value == "yes")
    if value == "yes":
        messages.success(request, "Your manager can now see this result and your plan's progress.")
    else:
        messages.success(request, "This result is now private to you.")
    return redirect("assessments:result", pk=assessment.pk)


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    """The signed-in person: their own results (and manager assessments about them)."""
    mine = list(
        Assessment.objects.filter(subject=request.user)
        .filter(kind=Assessment.Kind.SELF)
        .select_related("plan")
        .order_by("-submitted_at", "-created_at")
    )
    about_me = list(
        Assessment.objects.visible_to(request.user)
        .filter(subject=request.user, kind=Assessment.Kind.MANAGER)
        .select_related("assessor")
        .order_by("-submitted_at")
    )
    submitted = [a for a in mine if a.is_submitted]
    drafts = [a for a in mine if not a.is_submitted]
    points = [
        charts.point(f"{a.submitted_at:%d %b %Y}", a.strategic, a.leadership, kind="trail")
        for a in reversed(submitted)
        if a.strategic is not None and a.leadership is not None
    ]
    if points:
        points[-1] = charts.point("Latest", points[-1].x, points[-1].y, kind="you")
    context = {
        "submitted": submitted,
        "drafts": drafts,
        "about_me": about_me,
        "frame": charts.map_frame(),
        "points": points,
        "trail": charts.trail_path(points),
    }
    return no_store(render(request, "assessments/history.html", context))


def own_pair(request: HttpRequest, ids: list[str]) -> tuple[Assessment, Assessment]:
    """Two of the requester's own submitted results, older first; else 404."""
    try:
        found = list(Assessment.objects.filter(subject=request.user, pk__in=ids).submitted())
    except ValidationError as exc:  # a malformed id
        raise Http404 from exc
    if len(found) != 2:
        raise Http404
    older, newer = sorted(found, key=lambda a: a.submitted_at)
    return older, newer


def skill_changes(before: scoring.ScoreResult, after: scoring.ScoreResult) -> list[dict]:
    """Each skill's score before and after, and the change where both are known."""
    scores_before = {s.slug: s.score for s in before.skills}
    rows = []
    for skill in after.skills:
        was = scores_before.get(skill.slug)
        change = None if skill.score is None or was is None else skill.score - was
        rows.append({"name": skill.name, "before": was, "after": skill.score, "change": change})
    return rows


def axis_changes(before: scoring.ScoreResult, after: scoring.ScoreResult) -> list[dict]:
    """Each axis's position before and after, and the change where both are placed."""
    rows = []
    for name in ("strategic", "leadership"):
        a, b = getattr(before, name), getattr(after, name)
        change = None if a.position is None or b.position is None else b.position - a.position
        rows.append({"words": AXIS_WORDS[name], "before": a, "after": b, "change": change})
    return rows


def pair_points(older: Assessment, newer: Assessment) -> list[charts.MapPoint]:
    """The two results on the map (those placed on both axes), the later one filled."""
    return [
        charts.point(f"{a.submitted_at:%d %b %Y}", a.strategic, a.leadership, kind=kind)
        for a, kind in ((older, "trail"), (newer, "you"))
        if a.strategic is not None and a.leadership is not None
    ]


@login_required
@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    """The signed-in person: two of their own submitted results side by side. Anyone else's
    result, or an unknown id: 404."""
    ids = [request.GET.get("a"), request.GET.get("b")]
    if not all(ids) or ids[0] == ids[1]:
        messages.error(request, "Pick two different results to compare.")
        return redirect("assessments:history")
    older, newer = own_pair(request, ids)
    before, after = services.result_of(older), services.result_of(newer)
    points = pair_points(older, newer)
    context = {
        "older": older,
        "newer": newer,
        "axes": axis_changes(before, after),
        "rows": skill_changes(before, after),
        "frame": charts.map_frame(),
        "points": points,
        "trail": charts.trail_path(points),
    }
    return no_store(render(request, "assessments/compare.html", context))
