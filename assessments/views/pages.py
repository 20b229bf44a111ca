"""The questionnaire's pages: one per skill group of statements, then, for a self-assessment,
the typical week and the leadership situations. Every page saves what was answered on it."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assessments import services
from assessments.forms import (
    SCALES,
    WEEK_KINDS,
    QuestionnairePageForm,
    SituationsForm,
    WeekForm,
)
from assessments.models import Assessment
from assessments.views.common import bad_request, draft_or_redirect, no_store, unexpected_post
from roles.models import Question, SkillGroup
from roles.selectors import active_questions, active_situations, questionnaire_pages


@dataclass(frozen=True)
class Page:
    kind: str  # "statements", "week" or "situations"
    name: str
    intro: str = ""
    group: SkillGroup | None = None


WEEK = Page(
    "week",
    "Your typical week",
    "Split a typical week of the last few months across these kinds of work. Rough is fine.",
)
SITUATIONS = Page(
    "situations",
    "Situations",
    "What would you most likely do? Each option is a reasonable way to handle it; pick the one "
    "closest to what you would really do.",
)


def pages_for(draft: Assessment, situations: list) -> list[Page]:
    """The pages of this draft's questionnaire, in order."""
    pages = [Page("statements", g.name, g.intro, g) for g in questionnaire_pages()]
    if draft.kind == Assessment.Kind.SELF:
        pages.append(WEEK)
        if situations:
            pages.append(SITUATIONS)
    return pages


@login_required
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, pk, number: int) -> HttpResponse:
    """The assessor of a draft: one page of the questionnaire."""
    draft = draft_or_redirect(request, pk)
    if isinstance(draft, HttpResponse):
        return draft
    situations = active_situations() if draft.kind == Assessment.Kind.SELF else []
    pages = pages_for(draft, situations)
    if not 1 <= number <= len(pages):
        raise Http404
    current = pages[number - 1]
    form = _form(request, draft, current, situations)
    if request.method == "POST":
        if reason := unexpected_post(request, form.allowed_names()):
            return bad_request(request, reason)
        if form.is_valid():
            try:
                _save(draft, current, form)
            except services.AlreadySubmitted:
                return redirect("assessments:result", pk=draft.pk)
            return _after_save(request, draft, number, len(pages))
    context = {
        "assessment": draft,
        "form": form,
        "page": current,
        "number": number,
        "pages": pages,
        "next_page": pages[number] if number < len(pages) else None,
        **_progress(draft, {s.code for s in situations}),
        **_extra(draft, current, form),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    template = f"assessments/page_{current.kind}.html"
    return no_store(render(request, template, context, status=status))


def _form(request: HttpRequest, draft: Assessment, page: Page, situations: list):
    data = request.POST if request.method == "POST" else None
    if page.kind == "week":
        return WeekForm(data, initial=draft.time_allocation or {})
    if page.kind == "situations":
        chosen = {code: c["style"] for code, c in (draft.style_choices or {}).items()}
        return SituationsForm(data, situations=situations, seed=str(draft.pk), chosen=chosen)
    questions = list(active_questions().filter(skill__group=page.group))
    saved = draft.answers.filter(question_code__in=[q.code for q in questions])
    answers = {
        code: (value, note)
        for code, value, note in saved.values_list("question_code", "value", "note")
    }
    with_notes = draft.kind == Assessment.Kind.MANAGER
    return QuestionnairePageForm(data, questions=questions, answers=answers, with_notes=with_notes)


def _save(draft: Assessment, page: Page, form) -> None:
    if page.kind == "week":
        services.week_save(assessment=draft, split=form.split())
    elif page.kind == "situations":
        services.styles_save(assessment=draft, choices=form.choices())
    else:
        services.answers_save(assessment=draft, values=form.values(), notes=form.notes())


def _extra(draft: Assessment, page: Page, form) -> dict:
    if page.kind == "statements":
        return {
            "rows": form.rows(),
            "scales": SCALES,
            "subject_name": draft.subject.get_short_name(),
        }
    if page.kind == "week":
        return {"kinds": [form[kind] for kind, _ in WEEK_KINDS]}
    return {}


def _progress(draft: Assessment, situations: set[str]) -> dict[str, int]:
    """How much of the questionnaire the draft has answered: the statements (counted from the
    draft's own answers, through its index: never by scanning everyone's), and for a
    self-assessment the week (one answer) and each situation."""
    total = Question.objects.active().count()
    answered = draft.answers.filter(question__active=True).count()
    if draft.kind == Assessment.Kind.SELF:
        total += 1 + len(situations)
        answered += bool(draft.time_allocation) + len(situations & set(draft.style_choices or {}))
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
