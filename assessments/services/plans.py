"""Writes for transition plans: build one at submission, rebuild it for another target, and
an action's status and note.

A plan survives a retake: actions the person already worked on keep their status and note.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments import planning, scoring
from assessments.models import Answer, Assessment, Plan, PlanItem
from assessments.specs import action_specs, default_target_for, title_specs
from roles.models import Role, Track
from roles.selectors import Catalog

PLAN_NOTE_MAX_LENGTH = 2000
EVIDENCE_MAX_LENGTH = 500


def _plan_draft(
    assessment: Assessment,
    target: Role,
    catalog: Catalog,
    *,
    titles: tuple[scoring.TitleSpec, ...] | None = None,
    answers: list[Answer] | None = None,
    score: scoring.ScoreResult | None = None,
) -> planning.PlanDraft:
    if score is None and assessment.result:
        score = scoring.ScoreResult.from_dict(assessment.result["score"])
    by_slug = {t.slug: t for t in (titles if titles is not None else title_specs(catalog))}
    answered = [
        planning.AnsweredItem(
            id=a.question_code, text=a.text, skill=a.skill_slug, key=a.key, value=a.value
        )
        for a in (answers if answers is not None else assessment.answers.all())
    ]
    style = score.style.counts if score and score.style else None
    current = by_slug.get(assessment.current_title.slug) if assessment.current_title else None
    return planning.build_plan(
        skills=score.skills if score else (),
        target=by_slug[target.slug],
        actions=action_specs(catalog.actions),
        answers=answered,
        style=style,
        current=current,
        titles=tuple(by_slug.values()),
        person_kind=_person_kind(assessment),
        manager=manager_ratings(assessment.subject_id),
    )


def _person_kind(assessment: Assessment) -> str:
    """ "leader" when the person manages people now (someone reports to them, or their title
    is on the leadership ladder), else "ic": an IC is never asked to delegate to reports."""
    title = assessment.current_title
    if title is not None and title.track.kind == Track.Kind.LEADER:
        return "leader"
    return "leader" if User.objects.filter(manager_id=assessment.subject_id).exists() else "ic"


def manager_ratings(subject_id) -> dict[str, tuple[int, str]]:
    """Skill → (the lowest rating, its statement) in the latest submitted manager assessment
    about this person (none: {})."""
    latest = (
        Assessment.objects.submitted()
        .filter(subject_id=subject_id, kind=Assessment.Kind.MANAGER)
        .order_by("-submitted_at")
        .values_list("pk", flat=True)
        .first()
    )
    if latest is None:
        return {}
    ratings: dict[str, tuple[int, str]] = {}
    rows = Answer.objects.filter(assessment_id=latest).values_list(
        "skill_slug", "value", "key", "text"
    )
    for skill, value, key, text in rows.order_by("pk"):
        rating = value if key == 1 else 6 - value
        if key == 1 and (skill not in ratings or rating < ratings[skill][0]):
            ratings[skill] = (rating, text)
    return ratings


def _target_reason(assessment: Assessment, target: Role, chosen: bool) -> str:
    if chosen:
        return f"You chose {target.short_name} as your target."
    current = assessment.current_title
    ladder = f"the {target.track.name.lower()} ladder"
    path = {"ic": " (you chose deeper craft)", "leader": " (you chose leading people)"}.get(
        assessment.aspiration, ""
    )
    if current is None:
        return f"{target.short_name} is the first rung of {ladder}{path}."
    if current.track_id == target.track_id and current.pk == target.pk:
        return f"You are already at the top of the ladder, so the plan deepens {target.short_name}."
    return f"{target.short_name} is the next rung on {ladder} from {current.short_name}{path}."


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
    plan: Plan, draft: planning.PlanDraft, catalog: Catalog, carried: dict[str, tuple]
) -> list[PlanItem]:
    """The plan's actions in order, with the status and note carried over (by action code)."""
    catalog_actions = {a.code: a for a in catalog.actions}
    names = {f.skill: f.name for f in draft.focus}
    names |= {a.skill.slug: a.skill.name for a in catalog.actions if a.skill.slug not in names}
    return [
        PlanItem(
            plan=plan,
            action=catalog_actions.get(action.action_id),
            action_code=action.action_id,
            skill_slug=action.skill,
            skill_name=names.get(action.skill, action.skill),
            horizon=action.horizon,
            title=action.title,
            description=action.description,
            why=action.why,
            order=i,
            status=carried.get(action.action_id, (PlanItem.Status.TODO, "", ""))[0],
            note=carried.get(action.action_id, ("", "", ""))[1],
            evidence=carried.get(action.action_id, ("", "", ""))[2],
        )
        for i, action in enumerate(draft.actions, start=1)
    ]


def _carried_from(plan: Plan | None) -> dict[str, tuple[str, str, str]]:
    """Action code → (status, note, evidence) of every action in ``plan``."""
    if plan is None:
        return {}
    rows = plan.items.values_list("action_code", "status", "note", "evidence")
    return {code: (status, note, evidence) for code, status, note, evidence in rows}


def _latest_plan_of(owner_id) -> Plan | None:
    return Plan.objects.filter(owner_id=owner_id).order_by("-created_at").first()


def new_plan(
    assessment: Assessment,
    *,
    answers: list[Answer],
    score: scoring.ScoreResult,
    titles: tuple[scoring.TitleSpec, ...],
    catalog: Catalog,
    chosen: bool = False,
) -> tuple[Plan, list[PlanItem]]:
    """The first plan of an assessment being submitted, built but not saved
    (``plan_save_new`` saves it inside the submit's transaction). ``chosen``: the person
    picked the target themselves (else it is the next rung on their path)."""
    target = assessment.target_title
    draft = _plan_draft(assessment, target, catalog, titles=titles, answers=answers, score=score)
    plan = Plan(assessment=assessment, owner_id=assessment.subject_id)
    _fill_plan(plan, assessment, target, chosen, draft)
    return plan, _plan_items(plan, draft, catalog, carried={})


def plan_save_new(plan: Plan, items: list[PlanItem]) -> None:
    """Inside the submit's transaction: save a new plan and its items, carrying over the
    status and notes of the person's most recent earlier plan (a retake)."""
    carried = _carried_from(_latest_plan_of(plan.owner_id))  # before this plan exists
    for item in items:
        item.status, item.note, item.evidence = carried.get(
            item.action_code, (item.status, item.note, item.evidence)
        )
    plan.save()
    PlanItem.objects.bulk_create(items)


@transaction.atomic
def plan_create(*, assessment: Assessment, target: Role | None, chosen: bool = False) -> Plan:
    """Create (or regenerate) the plan of a submitted self-assessment for a target title.

    Actions the person already worked on keep their status and note: from this plan when
    regenerating, else from their most recent earlier plan (a retake). When regenerating, an
    action that is done or has a note stays in the plan even if the new target would not pick
    it: nothing the person did or wrote is lost by changing their mind about the target.
    """
    catalog = Catalog()
    target = target or default_target_for(assessment.current_title, catalog.roles)
    if target is None:
        raise ValueError("the catalog has no titles to plan towards")
    draft = _plan_draft(assessment, target, catalog)
    # Lock the plan row: a status update racing with a regeneration would otherwise be read
    # before it commits and then deleted with the old items.
    plan = Plan.objects.select_for_update().filter(assessment=assessment).first()
    regenerating = plan is not None
    previous = plan if regenerating else _latest_plan_of(assessment.subject_id)
    plan = plan or Plan(assessment=assessment, owner_id=assessment.subject_id)
    old_items = list(previous.items.all()) if previous else []
    planned = {a.action_id for a in draft.actions}
    kept = [
        i
        for i in old_items
        if regenerating
        and i.action_code not in planned
        and (i.status == PlanItem.Status.DONE or i.note)
    ]
    _fill_plan(plan, assessment, target, chosen, draft)
    plan.save()
    if regenerating:
        plan.items.all().delete()
    carried = {i.action_code: (i.status, i.note, i.evidence) for i in old_items}
    new_items = _plan_items(plan, draft, catalog, carried)
    for item in kept:
        item.pk, item.plan = None, plan
        item.order = len(new_items) + 1
        new_items.append(item)
    PlanItem.objects.bulk_create(new_items)
    return plan


@transaction.atomic
def plan_item_update(
    *,
    plan: Plan,
    action_code: str,
    status: str,
    note: str | None = None,
    evidence: str | None = None,
) -> PlanItem:
    """Set one action's status, note and evidence (``None`` keeps each as it is). Raises
    PlanItem.DoesNotExist for a code that is not in this plan and ValueError for an unknown
    status, a note over 2000 characters or evidence over 500; either way nothing changes."""
    if status not in PlanItem.Status.values:
        raise ValueError("unknown status")
    if note is not None and len(note) > PLAN_NOTE_MAX_LENGTH:
        raise ValueError(f"a note may be at most {PLAN_NOTE_MAX_LENGTH} characters")
    if evidence is not None and len(evidence) > EVIDENCE_MAX_LENGTH:
        raise ValueError(f"evidence may be at most {EVIDENCE_MAX_LENGTH} characters")
    # Lock the plan first, as plan_create does: an update never interleaves a regeneration.
    Plan.objects.select_for_update().filter(pk=plan.pk).exists()
    item = plan.items.select_for_update().get(action_code=action_code)
    item.status = status
    if note is not None:
        item.note = note
    if evidence is not None:
        item.evidence = evidence
    item.full_clean()
    item.save(update_fields=["status", "note", "evidence", "updated_at"])
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now())
    return item


def plan_progress(items: Iterable) -> dict[str, int]:
    """Counts and percentage done over plan items (or their statuses): the one definition of
    a plan's progress, used by the plan page, the team page and the exports."""
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
