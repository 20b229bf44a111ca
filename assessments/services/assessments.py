"""Writes for assessments: start a draft, save answers, submit, share.

Every function that changes more than one row runs in one transaction: a failure anywhere
leaves the database as it was (draft answers included).
"""

import copy
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from assessments import scoring
from assessments.models import Answer, Assessment, Plan, PlanItem
from assessments.services.plans import new_plan, plan_save_new
from assessments.specs import default_target_for, skill_specs, title_specs
from roles.models import Question, Role
from roles.selectors import Catalog, active_questions

#: The answers a result page names as moving each axis, towards each end.
DRIVERS_PER_SIDE = 3


def assessment_start(
    *,
    assessor: User,
    subject: User,
    current_title: Role | None,
    target_title: Role | None,
) -> Assessment:
    """Resume this assessor's draft about this subject, or start one.

    A person has at most one draft per subject (a database constraint), so a double click on
    "Start" resumes the same draft instead of creating two.
    """
    kind = Assessment.Kind.SELF if assessor == subject else Assessment.Kind.MANAGER
    drafts = Assessment.objects.filter(
        assessor=assessor, subject=subject, status=Assessment.Status.DRAFT
    )
    existing = drafts.first()
    if existing:
        changed = []
        if current_title and existing.current_title_id != current_title.pk:
            existing.current_title = current_title
            changed.append("current_title")
        if target_title and existing.target_title_id != target_title.pk:
            existing.target_title = target_title
            changed.append("target_title")
        if changed:
            existing.save(update_fields=[*changed, "updated_at"])
        return existing
    assessment = Assessment(
        assessor=assessor,
        subject=subject,
        kind=kind,
        current_title=current_title,
        target_title=target_title,
    )
    assessment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        # Two "Start" requests raced: the other one created the draft; use it.
        return drafts.get()
    if kind == Assessment.Kind.SELF and current_title and subject.current_title_id is None:
        subject.current_title = current_title
        subject.save(update_fields=["current_title"])
    return assessment


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
        answer.text, answer.key = q.text, q.key
        answer.skill_slug, answer.skill_name = q.skill.slug, q.skill.name
        answer.value = value
        answer.note = notes.get(code, answer.note or "")[:2000]
        (to_update if answer.pk else to_create).append(answer)
    Answer.objects.bulk_create(to_create)
    fields = ["question", "text", "key", "skill_slug", "skill_name", "value", "note"]
    Answer.objects.bulk_update(to_update, fields)
    Assessment.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    return len(values)


def missing_questions(assessment: Assessment) -> list[Question]:
    """Active questions this draft has not answered yet, in questionnaire order."""
    answered = assessment.answers.values_list("question_code", flat=True)
    return list(active_questions().exclude(code__in=answered))


class Incomplete(Exception):
    def __init__(self, missing: list[Question]) -> None:
        super().__init__(f"{len(missing)} question(s) unanswered")
        self.missing = missing


def score_answers(
    answers: list[Answer],
    active: list[Question],
    skills: tuple[scoring.SkillSpec, ...],
    titles: tuple[scoring.TitleSpec, ...],
) -> scoring.ScoreResult:
    """Score answers against their own snapshots and the current loadings and titles.

    Items are every answer (with the wording and key it was given against) plus every active
    question left unanswered, so coverage and confidence count what is missing.
    """
    known = {s.slug for s in skills}
    answered = [a for a in answers if a.skill_slug in known]
    codes = {a.question_code for a in answered}
    items = tuple(
        scoring.ItemSpec(id=a.question_code, skill=a.skill_slug, key=a.key, text=a.text)
        for a in answered
    ) + tuple(
        scoring.ItemSpec(id=q.code, skill=q.skill.slug, key=q.key, text=q.text)
        for q in active
        if q.code not in codes and q.skill.slug in known
    )
    catalog = scoring.CatalogSpec(skills=skills, items=items, titles=titles)
    return scoring.score(catalog, {a.question_code: a.value for a in answered})


def assessment_submit(
    *, assessment: Assessment, shared_with_manager: bool | None = None
) -> Assessment:
    """Score a complete draft, freeze the result and (for a self-assessment) create its plan.

    Idempotent: submitting an assessment that is already submitted returns it unchanged, so
    a double click, a second tab or two concurrent requests give exactly one result.
    Raises Incomplete (changing nothing) when an active question is unanswered.

    The result and the plan are worked out first, from the draft as read; the transaction then
    writes the result only if the row is still the same draft (its status and its
    ``updated_at``, which every change to its answers or titles moves), so SQLite's one write
    lock is held for a few statements, not for the scoring. A draft that changed meanwhile is
    read and scored again; one submitted meanwhile is returned as it is.
    """
    draft = assessment
    for _ in range(5):
        if draft.status == Assessment.Status.SUBMITTED:
            return draft
        done, plan, items = _prepare_submission(draft, shared_with_manager)
        try:
            with transaction.atomic():
                _write_submission(done, plan, items, seen=draft.updated_at)
                return done
        except (_DraftChanged, IntegrityError):
            # Changed meanwhile; or (PostgreSQL) a sharing switch in another tab was moving
            # the latest-shared marker at the same moment, or a title was deleted: nothing
            # was written, so read the draft again and redo it.
            draft = Assessment.objects.get(pk=draft.pk)
    raise RuntimeError(f"assessment {draft.pk} kept changing while it was being submitted")


class _DraftChanged(Exception):
    """The draft was changed or submitted since it was read: nothing was written."""


def _prepare_submission(draft: Assessment, shared_with_manager: bool | None):
    """The submitted assessment, its new plan and the plan's items, built but not saved."""
    answers = list(draft.answers.all())
    catalog = Catalog()
    answered = {a.question_code for a in answers}
    missing = [q for q in catalog.questions if q.code not in answered]
    if missing:
        raise Incomplete(missing)
    return submission_of(draft, answers, catalog, shared_with_manager)


def submission_of(
    draft: Assessment,
    answers: list[Answer],
    catalog: Catalog,
    shared_with_manager: bool | None = None,
) -> tuple[Assessment, Plan | None, list[PlanItem]]:
    """What submitting ``draft`` with ``answers`` gives, built but not saved: the submitted
    assessment (a copy: ``draft`` is left as it is), and for a self-assessment its plan and the
    plan's items. ``seed_scale`` builds its results with it too."""
    skills, titles = skill_specs(catalog), title_specs(catalog)
    result = score_answers(answers, catalog.questions, skills, titles)
    roles = {r.pk: r for r in catalog.roles}
    done = copy.copy(draft)
    done.current_title = roles.get(done.current_title_id)
    done.target_title = roles.get(done.target_title_id)
    done.status = Assessment.Status.SUBMITTED
    done.submitted_at = timezone.now()
    if shared_with_manager is not None:
        done.shared_with_manager = shared_with_manager
    done.strategic = result.strategic.position
    done.leadership = result.leadership.position
    done.quadrant = result.quadrant
    done.confidence = _overall_confidence(result)
    closest = result.closest[0] if result.closest else None
    by_slug = {r.slug: r for r in catalog.roles}
    done.closest_title = by_slug.get(closest.slug) if closest else None
    done.closest_title_name = closest.name if closest else ""
    done.current_title_name = done.current_title.short_name if done.current_title else ""
    if done.target_title is None and done.is_self:
        done.target_title = default_target_for(done.current_title, catalog.roles)
    done.target_title_name = done.target_title.short_name if done.target_title else ""
    done.result = result_snapshot(result, skills, titles, catalog.group_names)
    fks = ["subject", "assessor", "current_title", "target_title", "closest_title"]
    done.full_clean(validate_constraints=False, exclude=[*fks, "result"])
    if not done.is_self:
        return done, None, []
    if done.target_title is None:
        raise ValueError("the catalog has no titles to plan towards")
    plan, items = new_plan(done, answers=answers, score=result, titles=titles, catalog=catalog)
    return done, plan, items


def _write_submission(done: Assessment, plan, items, seen) -> None:
    """Inside the submit transaction: the result (if the row is still the draft as read at
    ``seen``), the latest-shared marker, then the plan with the status and notes carried over
    from the person's most recent earlier plan."""
    fields = {
        f.attname: getattr(done, f.attname)
        for f in Assessment._meta.concrete_fields
        if not f.primary_key
    }
    if done.is_self and done.shared_with_manager:
        # Submitted now, so the newest shared result: it takes the marker (off the older one
        # first, so there is never a moment with two).
        _marker_release(done.subject_id)
        fields.update(is_latest_shared=True, skill_scores=skill_scores(done.result))
    fields["updated_at"] = timezone.now()
    still_draft = Assessment.objects.filter(
        pk=done.pk, status=Assessment.Status.DRAFT, updated_at=seen
    )
    if still_draft.update(**fields) != 1:
        raise _DraftChanged
    for name in ("updated_at", "is_latest_shared", "skill_scores"):
        setattr(done, name, fields.get(name, getattr(done, name)))
    if plan is not None:
        plan_save_new(plan, items)


def result_snapshot(result: scoring.ScoreResult, skills, titles, groups: dict[str, str]) -> dict:
    """Everything the result page shows, as it stands at submission (no query). Of the
    answers behind each axis it keeps those the page names (``DRIVERS_PER_SIDE`` each way)."""
    return {
        "score": result.to_dict(drivers_per_side=DRIVERS_PER_SIDE),
        "loadings": {s.slug: [s.strategic, s.leadership] for s in skills},
        "poles": scoring.pole_averages(skills, result.skills),
        "groups": groups,
        "titles": [
            {
                "slug": t.slug,
                "name": t.name,
                "track": t.track,
                "level": t.level,
                "strategic": t.strategic,
                "leadership": t.leadership,
                "expectations": dict(t.expectations),
            }
            for t in titles
        ],
    }


def _overall_confidence(result: scoring.ScoreResult) -> str:
    levels = [result.strategic.confidence, result.leadership.confidence]
    if None in levels:
        return "none"
    for level in ("low", "moderate"):
        if level in levels:
            return level
    return "high"


def result_of(assessment: Assessment) -> scoring.ScoreResult | None:
    if not assessment.result:
        return None
    return scoring.ScoreResult.from_dict(assessment.result["score"])


# --- the latest shared result -------------------------------------------------------------
# ``Assessment.is_latest_shared`` marks the one result per person that their manager's team
# page joins: their latest submitted self-assessment shared with the manager (newest
# ``submitted_at``, then newest ``created_at``), or none. It is written only here, in the
# transactions that can change it (a submit, a sharing switch); the database allows at most
# one per person. It decides which result is joined, never who may see it.


def skill_scores(result: dict | None) -> list[list]:
    """The compact copy of a stored result's skill scores kept in ``Assessment.skill_scores``
    for the team heatmap: ``[slug, name, score]`` per skill, in the result's order."""
    skills = ((result or {}).get("score") or {}).get("skills") or ()
    return [[s["slug"], s["name"], s["score"]] for s in skills]


def _marker_release(subject_id) -> None:
    Assessment.objects.filter(subject_id=subject_id, is_latest_shared=True).update(
        is_latest_shared=False
    )


def _subject_lock(subject_id) -> None:
    # A submit and a sharing switch at the same moment (two tabs) would otherwise each pick a
    # result from what they saw, and the second to commit would break the one-per-person rule.
    User.objects.select_for_update().filter(pk=subject_id).exists()


@transaction.atomic
def latest_shared_refresh(assessment: Assessment) -> None:
    """Put the marker on the latest shared, submitted self-assessment of ``assessment``'s
    subject (taking it off any other), and update ``assessment.is_latest_shared`` in memory so
    a later ``save()`` of this instance writes the right value."""
    if assessment.kind != Assessment.Kind.SELF:
        return
    _subject_lock(assessment.subject_id)
    mine = Assessment.objects.filter(subject_id=assessment.subject_id)
    latest = (
        mine.filter(
            kind=Assessment.Kind.SELF,
            status=Assessment.Status.SUBMITTED,
            shared_with_manager=True,
        )
        .order_by("-submitted_at", "-created_at")
        .only("pk", "is_latest_shared", "skill_scores", "result")
        .first()
    )
    # Off first, then on: the one-per-person constraint holds after every statement.
    mine.filter(is_latest_shared=True).exclude(pk=getattr(latest, "pk", None)).update(
        is_latest_shared=False
    )
    if latest is not None and not latest.is_latest_shared:
        scores = latest.skill_scores
        if scores is None:
            scores = skill_scores(latest.result)
        mine.filter(pk=latest.pk).update(is_latest_shared=True, skill_scores=scores)
        if latest.pk == assessment.pk:
            assessment.skill_scores = scores
    assessment.is_latest_shared = latest is not None and assessment.pk == latest.pk


@transaction.atomic
def assessment_set_sharing(*, assessment: Assessment, shared: bool) -> Assessment:
    """Share a submitted self-assessment with the subject's manager, or stop sharing it."""
    _subject_lock(assessment.subject_id)
    _marker_release(assessment.subject_id)  # the database refuses it on an unshared result
    assessment.is_latest_shared = False
    assessment.shared_with_manager = shared
    assessment.save(update_fields=["shared_with_manager", "updated_at"])
    latest_shared_refresh(assessment)
    return assessment
