"""Helpers shared by the assessment views."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.loader import render_to_string

from assessments.models import Assessment

ALWAYS_ALLOWED = {"csrfmiddlewaretoken"}


def unexpected_post(request: HttpRequest, allowed: set[str]) -> str | None:
    """Why a POST was tampered with (an unknown or repeated field), or None when it is clean.

    Forms ignore fields they do not declare; here an unknown field is refused outright, so a
    post naming `user`, `score` or `is_staff`, or another page's question, saves nothing.
    """
    for name in request.POST:
        if name not in allowed | ALWAYS_ALLOWED:
            return f"The form contained a field it should not have ({name[:40]})."
        if len(request.POST.getlist(name)) > 1 and name != "csrfmiddlewaretoken":
            return "The form contained the same answer twice."
    return None


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    html = render_to_string("400.html", {"message": message}, request=request)
    return HttpResponseBadRequest(html)


def no_store(response: HttpResponse) -> HttpResponse:
    """Personal results must not linger in shared caches or the back-forward cache."""
    response["Cache-Control"] = "no-store, private"
    return response


def draft_or_redirect(request: HttpRequest, pk) -> Assessment | HttpResponse:
    """The requester's editable draft; a submitted one redirects to its result; else 404."""
    editable = Assessment.objects.editable_by(request.user).select_related("subject")
    draft = editable.filter(pk=pk).first()
    if draft:
        return draft
    done = Assessment.objects.visible_to(request.user).submitted().filter(pk=pk).first()
    if done:
        messages.info(request, "This assessment is already submitted; here is its result.")
        return redirect("assessments:result", pk=done.pk)
    raise Http404
