"""Writes for assessments and plans, and the translation between the database and the pure
scoring and planning core.

Every function that changes more than one row runs in one transaction: a failure anywhere
leaves the database as it was (draft answers included).
"""

import copy
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User, team_changed_for
from assessments import planning, reads, scoring
from assessments.latest import latest_shared_refresh, latest_shared_release, skill_scores
from assessments.models import Answer, Assessment, Plan, PlanItem
from roles import catalog_cache
from roles.models import (
    DevelopmentAction,
    Question,
    Role,
    Track,
)

# --- the catalog as plain data ------------------------------------------------------------


def catalog() -> catalog_cache.Catalog:
    """The catalog as this process keeps it (one query to check it is current)."""
    return catalog_cache.current()


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


def title_specs(
    roles: list[Role] | None = None, copy: catalog_cache.Catalog | None = None
) -> tuple[scoring.TitleSpec, ...]:
    """Every title with its expectations, from titles loaded with their expectations (or,
    without roles, from the catalog copy, computed once per copy)."""
    if roles is None:
        return (copy or catalog()).derived("title_specs", lambda c: title_specs(c.roles))
    return tuple(
        _title_spec(r, {e.skill.slug: e.level for e in r.expectations.all()}) for r in roles
    )


def skill_specs(copy: catalog_cache.Catalog | None = None) -> tuple[scoring.SkillSpec, ...]:
    return (copy or catalog()).derived(
        "skill_specs",
        lambda c: tuple(
            scoring.SkillSpec(
                slug=s.slug,
                name=s.name,
                group=s.group.slug,
                strategic=s.strategic_loading,
                leadership=s.leadership_loading,
            )
            for s in c.skills
        ),
    )


def active_questions():
    return Question.objects.active().select_related("skill__group").order_by("order", "code")


def default_target_for(current: Role | None, roles: list[Role] | None = None) -> Role | None:
    """The next rung on the product-leadership track from a current title.

    Pass the titles when the caller has them (with their tracks): then this runs no query.
    """
    roles = roles if roles is not None else catalog().roles
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


def assessment_submit(
    *, assessment: Assessment, shared_with_manager: bool | None = None
) -> Assessment:
    """Score a complete draft, freeze the result and (for a self-assessment) create its plan.

    Idempotent: submitting an assessment that is already submitted returns it unchanged, so
    a double click, a second tab or two concurrent requests give exactly one result.
    Raises Incomplete (changing nothing) when an active question is unanswered.

    The scoring and the plan are worked out first, from the draft as read; the transaction
    then writes the result with one guarded UPDATE — only if the row is still the same draft
    (its status, and its ``updated_at``, which every change to its answers or titles moves) —
    and the plan. So the write lock (SQLite has one, for the whole database) is held for a few
    statements, not for the scoring. A draft that changed meanwhile is read and scored again;
    one submitted meanwhile (a double click, another tab) is returned as it is.
    """
    draft = assessment
    for _ in range(5):
        if draft.status == Assessment.Status.SUBMITTED:
            return draft
        prepared = _prepare_submission(draft, shared_with_manager)
        try:
            with transaction.atomic():
                _write_submission(*prepared, seen=draft.updated_at)
                return prepared[0]
        except (_DraftChanged, IntegrityError):
            # Changed meanwhile; or (PostgreSQL) a sharing switch in another tab was moving
            # the latest-shared marker at the same moment, or a title was deleted: nothing
            # was written, so read the draft again and redo it.
            draft = Assessment.objects.get(pk=draft.pk)
    raise RuntimeError(f"assessment {draft.pk} kept changing while it was being submitted")


class _DraftChanged(Exception):
    """The draft was changed or submitted since it was read: nothing was written."""


def _prepare_submission(
    draft: Assessment, shared_with_manager: bool | None
) -> tuple[Assessment, Plan | None, list[PlanItem]]:
    """The submitted assessment and its new plan and actions, built but not saved."""
    answers = reads.answer_rows(draft.pk)
    current = catalog()
    active = current.questions
    missing = unanswered(active, answers)
    if missing:
        raise Incomplete(missing)
    skills = skill_specs(current)
    titles = title_specs(copy=current)
    result = _score_answers(answers, active, skills, titles)
    roles = current.derived("roles_by_id", lambda c: {r.pk: r for r in c.roles})
    # Titles come from the catalog copy (every title is in it), not from more queries.
    done = copy.copy(draft)  # the caller's draft stays as read if the write does not happen
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
    done.closest_title = next(
        (r for r in current.roles if closest and r.slug == closest.slug), None
    )
    done.closest_title_name = closest.name if closest else ""
    done.current_title_name = done.current_title.short_name if done.current_title else ""
    if done.target_title is None and done.is_self:
        done.target_title = default_target_for(done.current_title, current.roles)
    done.target_title_name = done.target_title.short_name if done.target_title else ""
    done.result = result_snapshot(result, skills, titles, current.group_names)
    # The foreign keys were just read from the database: no need to look each one up again;
    # the stored result is our own plain data, which saving encodes (and so checks) anyway.
    fks = ["subject", "assessor", "current_title", "target_title", "closest_title"]
    done.full_clean(validate_constraints=False, exclude=[*fks, "result"])
    if not done.is_self:
        return done, None, []
    target = done.target_title
    if target is None:
        raise ValueError("the catalog has no titles to plan towards")
    plan_draft = _plan_draft(done, target, None, titles, answers, result, current)
    plan = Plan(assessment=done, owner_id=done.subject_id)
    _fill_plan(plan, done, target, False, plan_draft)
    return done, plan, _plan_items(plan, plan_draft, current.actions, carried={})


def _write_submission(done: Assessment, plan: Plan | None, items: list[PlanItem], seen) -> None:
    """Inside the submit transaction: the result (if the row is still the draft as read at
    ``seen``), the marker of the latest shared result (assessments.latest), then the plan
    with the status and notes carried over from the person's most recent earlier plan."""
    now = timezone.now()
    fields = {
        f.attname: getattr(done, f.attname)
        for f in Assessment._meta.concrete_fields
        if not f.primary_key
    }
    if done.is_self and done.shared_with_manager:
        # Submitted now, so the newest: it takes the marker (off the older one first, so
        # there is never a moment with two).
        latest_shared_release(done, lock=False)
        fields.update(is_latest_shared=True, skill_scores=skill_scores(done.result))
    fields["updated_at"] = now
    written = reads.draft_update(done.pk, fields, seen)
    if written != 1:
        raise _DraftChanged
    done.updated_at = now
    if done.is_self:
        team_changed_for(done.subject_id)  # a new result (or "not shared") on the team page
    done.is_latest_shared = fields.get("is_latest_shared", False)
    done.skill_scores = fields.get("skill_scores", done.skill_scores)
    if plan is None:
        return
    carried = reads.carried_from_latest_plan(done.subject_id)  # before this plan exists
    for item in items:
        item.status, item.note = carried.get(item.action_code, (item.status, item.note))
    reads.plan_insert(plan)
    reads.plan_items_insert(plan, items)


#: The answers a result page names as moving each axis, towards each end.
DRIVERS_PER_SIDE = 3


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


@transaction.atomic
def assessment_set_sharing(*, assessment: Assessment, shared: bool) -> Assessment:
    latest_shared_release(assessment)  # before the row changes: see assessments.latest
    assessment.shared_with_manager = shared
    assessment.save(update_fields=["shared_with_manager", "updated_at"])
    latest_shared_refresh(assessment)
    team_changed_for(assessment.subject_id)
    return assessment


# --- plans --------------------------------------------------------------------------------

PLAN_NOTE_MAX_LENGTH = 2000


def _action_specs(
    actions: list[DevelopmentAction] | None = None, copy: catalog_cache.Catalog | None = None
) -> list[planning.ActionSpec]:
    if actions is None:
        return (copy or catalog()).derived("action_specs", lambda c: _action_specs(c.actions))
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
    actions: list[DevelopmentAction] | None,
    titles: tuple[scoring.TitleSpec, ...] | None = None,
    answers: list[Answer] | None = None,
    score: scoring.ScoreResult | None = None,
    copy: catalog_cache.Catalog | None = None,
) -> planning.PlanDraft:
    result = score or result_of(assessment)
    by_slug = {t.slug: t for t in (titles if titles is not None else title_specs(copy=copy))}
    answered = [
        planning.AnsweredItem(
            id=a.question_code, text=a.text, skill=a.skill_slug, key=a.key, value=a.value
        )
        for a in (answers if answers is not None else assessment.answers.all())
    ]
    return planning.build_plan(
        skills=result.skills if result else (),
        target=by_slug[target.slug],
        actions=_action_specs(actions, copy),
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
) -> Plan:
    """Create (or regenerate) the plan of a submitted self-assessment for a target title.

    Actions the person already worked on keep their status and note: from this plan when
    regenerating, else from their most recent earlier plan (a retake). When regenerating, an
    action that is done or has a note stays in the plan even if the new target would not pick
    it: nothing the person did or wrote is lost by changing their mind about the target.
    (A submit builds its first plan itself, with the same helpers.)
    """
    target = target or default_target_for(assessment.current_title)
    if target is None:
        raise ValueError("the catalog has no titles to plan towards")
    current = catalog()
    draft = _plan_draft(assessment, target, None, copy=current)
    # Lock the plan row: a status update racing with a regeneration would otherwise be read
    # before it commits and then deleted with the old items.
    plan = Plan.objects.select_for_update().filter(assessment=assessment).first()
    if plan is None:
        previous = Plan.objects.filter(owner=assessment.subject_id).order_by("-created_at").first()
        plan = Plan(assessment=assessment, owner_id=assessment.subject_id)
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
    _fill_plan(plan, assessment, target, chosen, draft)
    regenerating = plan.pk is not None and not plan._state.adding
    plan.save()
    if regenerating:
        plan.items.all().delete()
    new_items = _plan_items(plan, draft, current.actions, carried)
    for item in kept:
        item.pk, item.plan = None, plan
        item.order = len(new_items) + 1
        new_items.append(item)
    PlanItem.objects.bulk_create(new_items)
    team_changed_for(assessment.subject_id)  # its target and progress show on the team page
    return plan


def _fill_plan(
    plan: Plan, assessment: Assessment, target: Role, chosen: bool, draft: planning.PlanDraft
) -> None:
    plan.target_title = target
    plan.target_name = target.short_name
    plan.target_reason = _target_reason(assessment, target, chosen)
    # The actions are stored once, as the plan's items (with their status and notes); the
    # stored draft keeps what only it knows: the focus areas, strengths and targets.
    plan.content = draft.to_dict(actions=False)


def _plan_items(
    plan: Plan,
    draft: planning.PlanDraft,
    actions: list[DevelopmentAction],
    carried: dict[str, tuple[str, str]],
) -> list[PlanItem]:
    """The plan's actions in order, with the status and note carried over (by action code)."""
    catalog_actions = {a.code: a for a in actions}
    return [
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
    team_changed_for(plan.owner_id)  # the plan's progress shows on the team page
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
