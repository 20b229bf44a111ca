"""Writes to a draft's answers: statements, the week's split, the styles chosen.

Each runs in one transaction on the locked draft, so a submit racing with a save sees all of
it or none, and a submitted assessment is never changed.
"""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from assessments import scoring
from assessments.models import Answer, Assessment
from roles.models import Question, Situation
from roles.selectors import active_questions


class AlreadySubmitted(Exception):
    """The assessment was submitted (perhaps by another tab) and can no longer change."""


@transaction.atomic
def answers_save(
    *,
    assessment: Assessment,
    values: Mapping[str, int],
    notes: Mapping[str, str] | None = None,
) -> int:
    """Save answers to a draft: {question code → 1..5}, and optional evidence notes.

    The caller has validated codes and values against the active questions (the form does);
    this re-checks them, so nothing invalid is written whatever the caller. Returns the number
    of answers written.
    """
    # Lock the draft: a submit racing with this save must see either all of it or none.
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != Assessment.Status.DRAFT:
        raise AlreadySubmitted
    notes = notes or {}
    questions = {q.code: q for q in active_questions().filter(code__in=list(values))}
    unknown = set(values) - questions.keys()
    if unknown:
        raise ValueError(f"unknown or inactive questions: {sorted(unknown)}")
    for code, value in values.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise ValueError(f"answer to {code} must be 1..5")
    existing = {a.question_code: a for a in locked.answers.filter(question_code__in=list(values))}
    to_create, to_update = [], []
    for code, value in values.items():
        q = questions[code]
        answer = existing.get(code) or Answer(assessment=locked, question_code=code)
        answer.question = q
        answer.text, answer.key, answer.pole = q.text, q.key, q.pole
        answer.skill_slug, answer.skill_name = q.skill.slug, q.skill.name
        answer.value = value
        answer.note = notes.get(code, answer.note or "")[:2000]
        (to_update if answer.pk else to_create).append(answer)
    Answer.objects.bulk_create(to_create)
    fields = ["question", "text", "key", "pole", "skill_slug", "skill_name", "value", "note"]
    Answer.objects.bulk_update(to_update, fields)
    Assessment.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    return len(values)


@transaction.atomic
def week_save(*, assessment: Assessment, split: Mapping[str, int]) -> None:
    """Save a draft's typical week: kind of work → whole percent, adding up to 100 (the form
    says so beside the question; this re-checks it, so nothing invalid is written)."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != Assessment.Status.DRAFT:
        raise AlreadySubmitted
    if set(split) != set(scoring.TIME_KINDS) or sum(split.values()) != 100:
        raise ValueError("a week's split names every kind of work and adds up to 100")
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in split.values()):
        raise ValueError("each share is a whole number from 0 to 100")
    locked.time_allocation = dict(split)
    locked.save(update_fields=["time_allocation", "updated_at"])
    assessment.time_allocation, assessment.updated_at = locked.time_allocation, locked.updated_at


@transaction.atomic
def styles_save(*, assessment: Assessment, choices: Mapping[str, str]) -> None:
    """Save the styles chosen in leadership situations (situation code → style), keeping the
    wording each was chosen against."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != Assessment.Status.DRAFT:
        raise AlreadySubmitted
    situations = {s.code: s for s in Situation.objects.filter(active=True, code__in=choices)}
    stored = dict(locked.style_choices or {})
    for code, style in choices.items():
        if code not in situations or style not in Situation.STYLES:
            raise ValueError(f"unknown situation or style: {code}={style}")
        situation = situations[code]
        stored[code] = {
            "style": style,
            "text": situation.text,
            "option": situation.options()[style],
        }
    locked.style_choices = stored
    locked.save(update_fields=["style_choices", "updated_at"])
    assessment.style_choices, assessment.updated_at = locked.style_choices, locked.updated_at


def missing_questions(assessment: Assessment) -> list[Question]:
    """Active questions this draft has not answered yet, in questionnaire order."""
    answered = assessment.answers.values_list("question_code", flat=True)
    return list(active_questions().exclude(code__in=answered))
