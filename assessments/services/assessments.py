"""Writes for assessments: start a draft, save answers, submit, share.

Every function that changes more than one row runs in one transaction: a failure anywhere
leaves the database as it was (draft answers included).
"""

import copy

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from assessments import reading, scoring
from assessments.models import Answer, Assessment, Plan, PlanItem
from assessments.score_result import pole_scores
from assessments.services.plans import new_plan, plan_save_new
from assessments.services.sharing import marker_release, skill_scores
from assessments.specs import default_target_for, skill_specs, title_specs
from roles.models import Question, Role
from roles.selectors import Catalog

#: The answers a result page names as moving each axis, towards each end.
DRIVERS_PER_SIDE = 3


def assessment_start(
    *,
    assessor: User,
    subject: User,
    current_title: Role | None,
    target_title: Role | None,
    aspiration: str = "",
) -> Assessment:
    """Resume this assessor's draft about this subject, or start one. ``aspiration`` is the
    path the person wants next ("ic", "leader" or "" for not sure).

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
        if existing.aspiration != aspiration and kind == Assessment.Kind.SELF:
            existing.aspiration = aspiration
            changed.append("aspiration")
        if changed:
            existing.save(update_fields=[*changed, "updated_at"])
        return existing
    assessment = Assessment(
        assessor=assessor,
        subject=subject,
        kind=kind,
        current_title=current_title,
        target_title=target_title,
        aspiration=aspiration if kind == Assessment.Kind.SELF else "",
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


class Incomplete(Exception):
    """Something the submit needs is unanswered: statements, the week's split, situations."""

    def __init__(self, missing: list[Question], *, week: bool = False, situations=()) -> None:
        super().__init__(f"{len(missing)} question(s) unanswered")
        self.missing = missing
        self.week = week
        self.situations = list(situations)


def score_answers(
    answers: list[Answer],
    active: list[Question],
    skills: tuple[scoring.SkillSpec, ...],
    titles: tuple[scoring.TitleSpec, ...],
    *,
    time: dict[str, int] | None = None,
    styles: dict[str, dict] | None = None,
) -> scoring.ScoreResult:
    """Score answers against their own snapshots (wording, key and pole as answered) and the
    current titles; with the week's split and the styles chosen (as stored on the draft).

    Items are every answer plus every active question left unanswered, so coverage and
    confidence count what is missing.
    """
    known = {s.slug for s in skills}
    answered = [a for a in answers if a.skill_slug in known]
    codes = {a.question_code for a in answered}
    items = tuple(
        scoring.ItemSpec(a.question_code, a.skill_slug, a.key, a.text, a.pole) for a in answered
    ) + tuple(
        scoring.ItemSpec(q.code, q.skill.slug, q.key, q.text, q.pole)
        for q in active
        if q.code not in codes and q.skill.slug in known
    )
    styles = styles or {}
    situations = tuple(scoring.SituationSpec(id=code, text=c["text"]) for code, c in styles.items())
    catalog = scoring.CatalogSpec(skills, items, titles, situations)
    values = {a.question_code: a.value for a in answered}
    chosen = {code: c["style"] for code, c in styles.items()}
    return scoring.score(catalog, values, time or None, chosen)


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
    week, situations = _missing_self_parts(draft, catalog)
    if missing or week or situations:
        raise Incomplete(missing, week=week, situations=situations)
    return submission_of(draft, answers, catalog, shared_with_manager)


def _missing_self_parts(draft: Assessment, catalog: Catalog) -> tuple[bool, list]:
    """For a self-assessment: whether the week's split is missing, and the active situations
    without a chosen style. A manager's assessment of a report asks neither."""
    if draft.kind != Assessment.Kind.SELF:
        return False, []
    chosen = draft.style_choices or {}
    return not draft.time_allocation, [s for s in catalog.situations if s.code not in chosen]


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
    self_report = draft.kind == Assessment.Kind.SELF
    result = score_answers(
        answers,
        catalog.questions,
        skills,
        titles,
        time=draft.time_allocation if self_report else None,
        styles=draft.style_choices if self_report else None,
    )
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
    done.placement = reading.placement_key(result)
    done.confidence = _overall_confidence(result)
    closest = result.closest[0] if result.closest else None
    by_slug = {r.slug: r for r in catalog.roles}
    done.closest_title = by_slug.get(closest.slug) if closest else None
    done.closest_title_name = closest.name if closest else ""
    done.current_title_name = done.current_title.short_name if done.current_title else ""
    if done.target_title is None and done.is_self:
        path = done.aspiration
        done.target_title = default_target_for(done.current_title, catalog.roles, path)
    done.target_title_name = done.target_title.short_name if done.target_title else ""
    done.result = result_snapshot(result, skills, titles, catalog.group_names)
    fks = ["subject", "assessor", "current_title", "target_title", "closest_title"]
    done.full_clean(validate_constraints=False, exclude=[*fks, "result"])
    if not done.is_self:
        return done, None, []
    if done.target_title is None:
        raise ValueError("the catalog has no titles to plan towards")
    chosen = draft.target_title_id is not None
    plan, items = new_plan(
        done, answers=answers, score=result, titles=titles, catalog=catalog, chosen=chosen
    )
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
        marker_release(done.subject_id)
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
        "poles": pole_scores(result),
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
