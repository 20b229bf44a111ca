"""Start, answer and submit an assessment (a self-assessment or a manager's about a report)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from assessments import services
from assessments.forms import SCALE, QuestionnairePageForm, StartForm, SubmitForm
from assessments.models import Assessment
from assessments.views.common import bad_request, no_store, unexpected_post
from roles.models import Question, Role
from roles.selectors import active_questions, questionnaire_pages

logger = logging.getLogger(__name__)


def _draft_or_redirect(request: HttpRequest, pk) -> Assessment | HttpResponse:
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
            )
            return redirect("assessments:page", pk=assessment.pk, number=1)
    current = next((t for t in titles if t.pk == request.user.current_title_id), None)
    suggested = services.default_target_for(current, titles)
    return render(
        request,
        "assessments/start.html",
        {"form": form, "draft": draft, "suggested": suggested},
    )


@login_required
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, pk, number: int) -> HttpResponse:
    """The assessor of a draft: one page of the questionnaire (one skill group)."""
    draft = _draft_or_redirect(request, pk)
    if isinstance(draft, HttpResponse):
        return draft
    pages = questionnaire_pages()
    if not 1 <= number <= len(pages):
        raise Http404
    group = pages[number - 1]
    form = _page_form(request, draft, group)
    if request.method == "POST":
        if reason := unexpected_post(request, form.allowed_names()):
            return bad_request(request, reason)
        if form.is_valid():
            try:
                services.answers_save(assessment=draft, values=form.values(), notes=form.notes())
            except services.AlreadySubmitted:
                return redirect("assessments:result", pk=draft.pk)
            return _after_save(request, draft, number, len(pages))
    context = {
        "assessment": draft,
        "form": form,
        "rows": form.rows(),
        "scale": SCALE,
        "subject_name": draft.subject.get_short_name(),
        "group": group,
        "number": number,
        "pages": pages,
        "next_group": pages[number] if number < len(pages) else None,
        **_progress(draft),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return no_store(render(request, "assessments/page.html", context, status=status))


def _page_form(request: HttpRequest, draft: Assessment, group) -> QuestionnairePageForm:
    """The statements of one page with the draft's saved answers (and the POST, if any)."""
    questions = list(active_questions().filter(skill__group=group))
    saved = draft.answers.filter(question_code__in=[q.code for q in questions])
    answers = {
        code: (value, note)
        for code, value, note in saved.values_list("question_code", "value", "note")
    }
    return QuestionnairePageForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        answers=answers,
        with_notes=draft.kind == Assessment.Kind.MANAGER,
    )


def _progress(draft: Assessment) -> dict[str, int]:
    """How many active statements the draft has answered, of how many (one query)."""
    counts = Question.objects.active().aggregate(
        total=Count("pk"), answered=Count("answers", filter=Q(answers__assessment=draft))
    )
    total, answered = counts["total"], counts["answered"]
    return {
        "answered": answered,
        "total": total,
        "percent": round(100 * answered / total) if total else 0,
    }


def _after_save(request: HttpRequest, draft: Assessment, number: int, last: int) -> HttpResponse:
    action = request.POST.get("action", "next")
    if action == "back" and number > 1:
        return redirect("assessments:page", pk=draft.pk, number=number - 1)
    if action == "save":
        messages.success(
            request, "Your answers are saved. Pick up where you left off whenever you like."
        )
        if draft.kind == Assessment.Kind.MANAGER:
            return redirect("assessments:team")
        return redirect("assessments:start")
    if action == "next" and number < last:
        return redirect("assessments:page", pk=draft.pk, number=number + 1)
    return redirect("assessments:review", pk=draft.pk)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk) -> HttpResponse:
    """The assessor of a draft: what is left to answer, the sharing choice, and submit."""
    draft = _draft_or_redirect(request, pk)
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
    missing = services.missing_questions(draft)
    pages = questionnaire_pages()
    page_of = {group.pk: i for i, group in enumerate(pages, start=1)}
    missing_rows = [(q, page_of.get(q.skill.group_id, 1)) for q in missing]
    context = {
        "assessment": draft,
        "form": form,
        "missing": missing_rows,
        "last_page": len(pages),
        "has_manager": draft.subject.manager_id is not None,
    }
    return no_store(render(request, "assessments/review.html", context, status=status))


def _submit(request: HttpRequest, draft: Assessment, shared: bool) -> tuple[Assessment | None, int]:
    """Submit, or say plainly why not: (the submitted assessment or None, status to show)."""
    try:
        done = services.assessment_submit(
            assessment=draft, shared_with_manager=shared if draft.is_self else None
        )
    except services.Incomplete:
        messages.error(
            request,
            "A few statements still need an answer before you can submit. "
            "Everything you answered is saved.",
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
