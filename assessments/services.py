"""Writes for assessments and plans, and the translation between the database and the pure
scoring and planning core.

Every function that changes more than one row runs in one transaction: a failure anywhere
leaves the database as it was (draft answers included).
"""

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import User
from assessments import planning, scoring
from assessments.latest import latest_shared_refresh, latest_shared_release
from assessments.models import Answer, Assessment, Plan, PlanItem
from roles.models import (
    DevelopmentAction,
    Question,
    Role,
    Skill,
    SkillExpectation,
    SkillGroup,
    Track,
)

# --- the catalog as plain data ------------------------------------------------------------


def titles_with_expectations() -> list[Role]:
    """Every title, its track and its expectations (two queries)."""
    expectations = SkillExpectation.objects.select_related("skill")
    return list(
        Role.objects.for_ladders().prefetch_related(Prefetch("expectations", queryset=expectations))
    )


def _title_spec(role: Role, expectations: dict[str, int]) -> scoring.TitleSpec:
    return scoring.TitleSpec(
        slug=role.slug,
        name=role.short_name,
        track=role.track.slug,
        level=role.level,
        strategic=role.expected_strategic,
        leadership=role.expected_leadership,
        expectations=expectations,
    )


def title_specs(roles: list[Role] | None = None) -> tuple[scoring.TitleSpec, ...]:
    """Every title with its expectations, from ``titles_with_expectations()`` output."""
    roles = titles_with_expectations() if roles is None else roles
    return tuple(
        _title_spec(r, {e.skill.slug: e.level for e in r.expectations.all()}) for r in roles
    )


def skill_specs() -> tuple[scoring.SkillSpec, ...]:
    return tuple(
        scoring.SkillSpec(
            slug=s.slug,
            name=s.name,
            group=s.group.slug,
            strategic=s.strategic_loading,
            leadership=s.leadership_loading,
        )
        for s in Skill.objects.select_related("group").order_by("order", "slug")
    )


def active_questions():
    return Question.objects.active().select_related("skill__group").order_by("order", "code")


def default_target_for(current: Role | None, roles: list[Role] | None = None) -> Role | None:
    """The next rung on the product-leadership track from a current title.

    Pass the titles when the caller has them (with their tracks): then this runs no query.
    """
    roles = roles if roles is not None else list(Role.objects.for_ladders())
    specs = [_title_spec(r, {}) for r in roles]  # the ladder is all this needs
    leader = next((r.track.slug for r in roles if r.track.kind == Track.Kind.LEADER), "")
    current_spec = next((t for t in specs if current and t.slug == current.slug), None)
    try:
        spec = planning.default_target(current_spec, specs, leader)
    except ValueError:
        return None
    return next(r for r in roles if r.slug == spec.slug)


# --- assessments --------------------------------------------------------------------------


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
    existing = Assessment.objects.filter(
        assessor=assessor, subject=subject, status=Assessment.Status.DRAFT
    ).first()
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
        return Assessment.objects.get(
            assessor=assessor, subject=subject, status=Assessment.Status.DRAFT
        )
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


def unanswered(active: list[Question], answers: list[Answer]) -> list[Question]:
    """The active questions without an answer among ``answers``, in questionnaire order."""
    answered = {a.question_code for a in answers}
    return [q for q in active if q.code not in answered]


class Incomplete(Exception):
    def __init__(self, missing: list[Question]) -> None:
        super().__init__(f"{len(missing)} question(s) unanswered")
        self.missing = missing


def _score_answers(
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


@transaction.atomic
def assessment_submit(
    *, assessment: Assessment, shared_with_manager: bool | None = None
) -> Assessment:
    """Score a complete draft, freeze the result and (for a self-assessment) create its plan.

    Idempotent: submitting an assessment that is already submitted returns it unchanged, so
    a double click, a second tab or two concurrent requests give exactly one result.
    Raises Incomplete (changing nothing) when an active question is unanswered.
    The catalog is read once here and handed down, so the query count does not depend on it.
    """
    # The row lock serialises concurrent submits; the loser sees status "submitted" below.
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("subject", "target_title", "current_title")
        .get(pk=assessment.pk)
    )
    if locked.status == Assessment.Status.SUBMITTED:
        return locked
    answers = list(locked.answers.all())
    active = list(active_questions())
    missing = unanswered(active, answers)
    if missing:
        raise Incomplete(missing)
    skills = skill_specs()
    roles = titles_with_expectations()
    titles = title_specs(roles)
    result = _score_answers(answers, active, skills, titles)
    locked.status = Assessment.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    if shared_with_manager is not None:
        locked.shared_with_manager = shared_with_manager
    locked.strategic = result.strategic.position
    locked.leadership = result.leadership.position
    locked.quadrant = result.quadrant
    locked.confidence = _overall_confidence(result)
    closest = result.closest[0] if result.closest else None
    locked.closest_title = next((r for r in roles if closest and r.slug == closest.slug), None)
    locked.closest_title_name = closest.name if closest else ""
    locked.current_title_name = locked.current_title.short_name if locked.current_title else ""
    if locked.target_title is None and locked.is_self:
        locked.target_title = default_target_for(locked.current_title, roles)
    locked.target_title_name = locked.target_title.short_name if locked.target_title else ""
    groups = dict(SkillGroup.objects.values_list("slug", "name"))
    locked.result = result_snapshot(result, skills, titles, groups)
    # The foreign keys were just read from the database: no need to look each one up again.
    fks = ["subject", "assessor", "current_title", "target_title", "closest_title"]
    locked.full_clean(validate_constraints=False, exclude=fks)
    locked.save()
    latest_shared_refresh(locked)
    if locked.is_self:
        plan_create(assessment=locked, target=locked.target_title, titles=titles, answers=answers)
    return locked


def result_snapshot(result: scoring.ScoreResult, skills, titles, groups: dict[str, str]) -> dict:
    """Everything the result page shows, as it stands at submission (no query)."""
    return {
        "score": result.to_dict(),
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


@transaction.atomic
def assessment_set_sharing(*, assessment: Assessment, shared: bool) -> Assessment:
    latest_shared_release(assessment)  # before the row changes: see assessments.latest
    assessment.shared_with_manager = shared
    assessment.save(update_fields=["shared_with_manager", "updated_at"])
    latest_shared_refresh(assessment)
    return assessment


# --- plans --------------------------------------------------------------------------------

PLAN_NOTE_MAX_LENGTH = 2000


def _action_specs(actions: list[DevelopmentAction] | None = None) -> list[planning.ActionSpec]:
    if actions is None:
        actions = list(DevelopmentAction.objects.select_related("skill", "track"))
    return [
        planning.ActionSpec(
            id=a.code,
            skill=a.skill.slug,
            track=a.track.slug if a.track else None,
            horizon=a.horizon,
            title=a.title,
            description=a.description,
        )
        for a in actions
    ]


def _plan_draft(
    assessment: Assessment,
    target: Role,
    actions: list[DevelopmentAction],
    titles: tuple[scoring.TitleSpec, ...] | None = None,
    answers: list[Answer] | None = None,
) -> planning.PlanDraft:
    result = result_of(assessment)
    by_slug = {t.slug: t for t in (titles if titles is not None else title_specs())}
    answered = [
        planning.AnsweredItem(
            id=a.question_code, text=a.text, skill=a.skill_slug, key=a.key, value=a.value
        )
        for a in (answers if answers is not None else assessment.answers.all())
    ]
    return planning.build_plan(
        skills=result.skills if result else (),
        target=by_slug[target.slug],
        actions=_action_specs(actions),
        answers=answered,
    )


def _target_reason(assessment: Assessment, target: Role, chosen: bool) -> str:
    if chosen:
        return f"You chose {target.short_name} as your target."
    current = assessment.current_title
    if current is None:
        return f"{target.short_name} is the first rung of the product-leadership ladder."
    if current.track_id == target.track_id and current.pk == target.pk:
        return f"You are already at the top of the ladder, so the plan deepens {target.short_name}."
    return (
        f"{target.short_name} is the next rung on the product-leadership ladder from "
        f"{current.short_name}."
    )


@transaction.atomic
def plan_create(
    *,
    assessment: Assessment,
    target: Role | None,
    chosen: bool = False,
    titles: tuple[scoring.TitleSpec, ...] | None = None,
    answers: list[Answer] | None = None,
) -> Plan:
    """Create (or regenerate) the plan of a submitted self-assessment for a target title.

    Actions the person already worked on keep their status and note: from this plan when
    regenerating, else from their most recent earlier plan (a retake). When regenerating, an
    action that is done or has a note stays in the plan even if the new target would not pick
    it: nothing the person did or wrote is lost by changing their mind about the target.
    """
    target = target or default_target_for(assessment.current_title)
    if target is None:
        raise ValueError("the catalog has no titles to plan towards")
    actions = list(DevelopmentAction.objects.select_related("skill", "track"))
    draft = _plan_draft(assessment, target, actions, titles, answers)
    # Lock the plan row: a status update racing with a regeneration would otherwise be read
    # before it commits and then deleted with the old items.
    plan = Plan.objects.select_for_update().filter(assessment=assessment).first()
    if plan is None:
        previous = Plan.objects.filter(owner=assessment.subject).order_by("-created_at").first()
        plan = Plan(assessment=assessment, owner=assessment.subject)
    else:
        previous = plan
    old_items = list(previous.items.all()) if previous else []
    carried = {i.action_code: (i.status, i.note) for i in old_items}
    planned = {a.action_id for a in draft.actions}
    kept = [
        i
        for i in old_items
        if previous is plan
        and i.action_code not in planned
        and (i.status == PlanItem.Status.DONE or i.note)
    ]
    plan.target_title = target
    plan.target_name = target.short_name
    plan.target_reason = _target_reason(assessment, target, chosen)
    plan.content = draft.to_dict()
    regenerating = plan.pk is not None and not plan._state.adding
    plan.save()
    if regenerating:
        plan.items.all().delete()
    catalog_actions = {a.code: a for a in actions}
    new_items = [
        PlanItem(
            plan=plan,
            action=catalog_actions.get(action.action_id),
            action_code=action.action_id,
            skill_slug=action.skill,
            skill_name=_skill_name(draft, action.skill),
            horizon=action.horizon,
            title=action.title,
            description=action.description,
            why=action.why,
            order=i,
            status=carried.get(action.action_id, (PlanItem.Status.TODO, ""))[0],
            note=carried.get(action.action_id, ("", ""))[1],
        )
        for i, action in enumerate(draft.actions, start=1)
    ]
    for item in kept:
        item.pk, item.plan = None, plan
        item.order = len(new_items) + 1
        new_items.append(item)
    PlanItem.objects.bulk_create(new_items)
    return plan


def _skill_name(draft: planning.PlanDraft, slug: str) -> str:
    return next((f.name for f in draft.focus if f.skill == slug), slug)


@transaction.atomic
def plan_item_update(
    *, plan: Plan, action_code: str, status: str, note: str | None = None
) -> PlanItem:
    """Set one action's status and note (``None`` keeps the note as it is). Raises
    PlanItem.DoesNotExist for a code that is not in this plan and ValueError for an unknown
    status or a note over 2000 characters; either way nothing changes."""
    if status not in PlanItem.Status.values:
        raise ValueError("unknown status")
    if note is not None and len(note) > PLAN_NOTE_MAX_LENGTH:
        raise ValueError(f"a note may be at most {PLAN_NOTE_MAX_LENGTH} characters")
    # Lock the plan first, as plan_create does: an update never interleaves a regeneration.
    Plan.objects.select_for_update().only("pk").get(pk=plan.pk)
    item = plan.items.select_for_update().get(action_code=action_code)
    item.status = status
    if note is not None:
        item.note = note
    item.full_clean()
    item.save(update_fields=["status", "note", "updated_at"])
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    return item


def plan_progress(items: Any) -> dict[str, int]:
    """Counts and percentage done over an iterable of plan items (or their statuses)."""
    statuses = [getattr(i, "status", i) for i in items]
    total = len(statuses)
    done = statuses.count(PlanItem.Status.DONE)
    doing = statuses.count(PlanItem.Status.DOING)
    return {
        "total": total,
        "done": done,
        "doing": doing,
        "percent": round(100 * done / total) if total else 0,
    }
