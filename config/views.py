import sys

from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from assessments import reading, scoring, worked_example
from assessments.charts import map_frame, point, spread_labels
from roles.models import Role


def home(request: HttpRequest) -> HttpResponse:
    """Anyone: what Trajectory does, the two-axis idea, and where to start."""
    titles = list(Role.objects.for_ladders())
    points = spread_labels(
        [point(t.short_name, t.expected_strategic, t.expected_leadership) for t in titles]
    )
    return render(request, "home.html", {"titles": titles, "points": points, "frame": map_frame()})


def about_scoring(request: HttpRequest) -> HttpResponse:
    """Anyone: the scoring method in plain words, with the formulas, the weights and a worked
    example computed by the scoring code itself."""
    rows, _, result = worked_example.example()
    context = {
        "rows": rows,
        "week": reading.week_rows(result),
        "example": result,
        "axes": reading.axis_rows(result),
        "placement": reading.placement_summary(result),
        "time_weight": scoring.TIME_WEIGHT,
        "statement_weight": 1 - scoring.TIME_WEIGHT,
        "time_sd": scoring.TIME_SD,
        "min_sd": scoring.MIN_SD,
        "coverage": round(100 * scoring.MIN_COVERAGE),
        "high_confidence": scoring.HIGH_CONFIDENCE,
        "moderate_confidence": scoring.MODERATE_CONFIDENCE,
        "straight_lining": round(100 * scoring.STRAIGHT_LINING_SHARE),
        "acquiescence": round(100 * scoring.ACQUIESCENCE_SHARE),
        "low_pole": scoring.LOW_POLE,
        "style_words": reading.STYLE_WORDS.values(),
    }
    return render(request, "about_scoring.html", context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid security token: explain, in the site's layout."""
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """500 in the site's layout, with no detail; a database outage gets a friendly 503.

    Django calls this while handling the exception, so sys.exc_info() names it. The page is
    rendered without the request's context processors: they would ask the (perhaps absent)
    database who is signed in.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        html = render_to_string("503.html", {"user": AnonymousUser()})
        return HttpResponse(html, status=503, headers={"Retry-After": "30"})
    html = render_to_string("500.html", {"user": AnonymousUser()})
    return HttpResponse(html, status=500)
