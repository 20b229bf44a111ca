"""Start, answer and submit an assessment (a self-assessment or a manager's about a report)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from assessments import services
from assessments.forms import StartForm, SubmitForm
from assessments.models import Assessment
from assessments.views.common import bad_request, draft_or_redirect, no_store, unexpected_post
from assessments.views.pages import SITUATIONS, WEEK, pages_for
from roles.models import Role
from roles.selectors import active_situations

logger = logging.getLogger(__name__)


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Any signed-in person: pick current and target title, then start or resume a draft."""
    draft = (
        Assessment.objects.editable_by(request.user)
        .filter(subject=request.user)
        .select_related("target_title")
        .annotate(answered=Count("answers"))
        .first()
    )
    titles = list(Role.objects.for_ladders())
    initial = {
        "current_title": request.user.current_title,
        "target_title": draft.target_title if draft else None,
        "aspiration": draft.aspiration if draft else "",
    }
    form = StartForm(
        request.POST if request.method == "POST" else None, initial=initial, titles=titles
    )
    if request.method == "POST":
        if reason := unexpected_post(request, set(form.fields)):
            return bad_request(request, reason)
        if form.is_valid():
            assessment = services.assessment_start(
                assessor=request.user,
                subject=request.user,
                current_title=form.cleaned_data["current_title"],
                target_title=form.cleaned_data["target_title"],
                aspiration=form.cleaned_data["aspiration"],
            )
            return redirect("assessments:page", pk=assessment.pk, number=1)
    current = next((t for t in titles if t.pk == request.user.current_title_id), None)
    context = {"form": form, "draft": draft, "next_rungs": _next_rungs(current, titles)}
    return render(request, "assessments/start.html", context)


def _next_rungs(current: Role | None, titles: list[Role]) -> list[dict]:
    """The next rung on each path from the current title, side by side (none before a title
    is chosen): what each would ask of the person."""
    if current is None:
        return []
    rungs = []
    for path, name in (("ic", "Deeper craft"), ("leader", "Leading people")):
        rung = services.default_target_for(current, titles, path)
        if rung is not None and rung.pk != current.pk:
            rungs.append({"path": path, "name": name, "title": rung})
    return rungs


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk) -> HttpResponse:
    """The assessor of a draft: what is left to answer, the sharing choice, and submit."""
    draft = draft_or_redirect(request, pk)
    if isinstance(draft, HttpResponse):
        return draft
    form = SubmitForm(
        request.POST if request.method == "POST" else None,
        initial={"shared_with_manager": True},
    )
    status = 200
    if request.method == "POST":
        if reason := unexpected_post(request, set(form.fields)):
            return bad_request(request, reason)
        if form.is_valid():
            done, status = _submit(request, draft, form.cleaned_data["shared_with_manager"])
            if done:
                messages.success(request, "Submitted. Here is where you sit today.")
                return redirect("assessments:result", pk=done.pk)
    context = {
        "assessment": draft,
        "form": form,
        "has_manager": draft.subject.manager_id is not None,
        **_missing(draft),
    }
    return no_store(render(request, "assessments/review.html", context, status=status))


def _missing(draft: Assessment) -> dict:
    """What is still unanswered, each with the page that asks it."""
    situations = active_situations() if draft.is_self else []
    pages = pages_for(draft, situations)
    number = {p.group.pk: i for i, p in enumerate(pages, start=1) if p.group is not None}
    rows = [(q, number.get(q.skill.group_id, 1)) for q in services.missing_questions(draft)]
    chosen = draft.style_choices or {}
    return {
        "missing": rows,
        "week_page": pages.index(WEEK) + 1 if WEEK in pages and not draft.time_allocation else None,
        "situations_missing": [s for s in situations if s.code not in chosen],
        "situations_page": pages.index(SITUATIONS) + 1 if SITUATIONS in pages else None,
        "last_page": len(pages),
    }


def _submit(request: HttpRequest, draft: Assessment, shared: bool) -> tuple[Assessment | None, int]:
    """Submit, or say plainly why not: (the submitted assessment or None, status to show)."""
    try:
        done = services.assessment_submit(
            assessment=draft, shared_with_manager=shared if draft.is_self else None
        )
    except services.Incomplete as missing:
        what = "statements" if missing.missing else "answers"
        messages.error(
            request,
            f"A few {what} still need an answer before you can submit: they are listed "
            "below. Everything you answered is saved.",
        )
        return None, 400
    except (OperationalError, InterfaceError):
        raise  # the database is away: the site-wide 503 page explains
    except Exception:
        # Scoring or plan creation failed: the transaction rolled back, the draft is intact.
        logger.exception("submitting assessment %s failed", draft.pk)
        messages.error(
            request,
            "Sorry, we could not submit just now, so nothing was changed: your answers are "
            "all still saved. Please try again in a moment.",
        )
        return None, 500
    return done, 302


@login_required
@require_POST
def discard(request: HttpRequest, pk) -> HttpResponse:
    """The assessor of a draft: throw it away (submitted results are never discarded here)."""
    draft = get_object_or_404(Assessment.objects.editable_by(request.user), pk=pk)
    draft.delete()
    messages.success(request, "The draft is deleted.")
    return redirect(reverse("assessments:start"))
