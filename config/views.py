import sys

from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

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
    """Anyone: the scoring method in plain words, with the formula."""
    return render(request, "about_scoring.html")


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
