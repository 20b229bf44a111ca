"""The plain-SQL reads (assessments.reads) give exactly what the ORM queries they replace give."""

import uuid

from assessments import reads
from assessments.models import Answer, Assessment, Plan, PlanItem
from tests import factories


def _same(a: Assessment | None, b: Assessment | None) -> None:
    assert (a is None) == (b is None)
    if a is not None:
        for field in Assessment._meta.concrete_fields:
            assert getattr(a, field.attname) == getattr(b, field.attname), field.name
        assert a._state.adding is False and a._state.db == b._state.db


def test_draft_of_matches_the_orm_for_every_assessment_and_person(catalog, alice, bob, dave):
    done = factories.submitted(alice, factories.leaning(1, -1))
    own = factories.draft_for(alice)
    factories.answer_all(own)
    about_alice = factories.draft_for(alice, assessor=bob)
    # JSON, dates and ids converted as the ORM converts them (a draft's JSON is usually empty).
    Assessment.objects.filter(pk=own.pk).update(skill_scores=[["a", "“b”", 1.5]])
    for assessment in (own, about_alice, done):
        for person in (alice, bob, dave):
            orm = Assessment.objects.filter(
                pk=assessment.pk, assessor=person, status=Assessment.Status.DRAFT
            ).first()
            _same(reads.draft_of(assessment.pk, person), orm)
    assert reads.draft_of(own.pk, alice).skill_scores == [["a", "“b”", 1.5]]
    assert reads.draft_of(about_alice.pk, bob) is not None
    assert reads.draft_of(uuid.uuid4(), alice) is None


def test_answer_values_and_rows_match_the_orm(catalog, alice, bob):
    draft = factories.draft_for(alice, assessor=bob)
    factories.answer_all(draft, notes={"backlog-delivery-1": "Ran the launch <well>."})
    other = factories.draft_for(alice)
    factories.answer_all(other, factories.leaning(1, 1))
    expected = {
        code: (value, note)
        for code, value, note in draft.answers.values_list("question_code", "value", "note")
    }
    assert reads.answer_values(draft.pk) == expected
    assert expected["backlog-delivery-1"][1] == "Ran the launch <well>."
    rows = Answer.objects.filter(assessment=draft).values_list(*reads.AnswerRow._fields)
    assert reads.answer_rows(draft.pk) == [reads.AnswerRow(*row) for row in rows]
    assert len(reads.answer_rows(draft.pk)) == len(expected) > 0
    assert reads.answer_values(uuid.uuid4()) == {}


def test_the_indexes_other_indexes_cover_are_gone_and_lookups_still_use_one(db):
    from importlib import import_module

    from django.db import connection

    covered = import_module("assessments.migrations.0003_fewer_indexes").COVERED
    unsearched = import_module("assessments.migrations.0004_unsearched_title_indexes").UNSEARCHED
    with connection.cursor() as cursor:
        for name, table, _ in unsearched:
            assert name not in connection.introspection.get_constraints(cursor, table)
        for name, table, column in covered:
            constraints = connection.introspection.get_constraints(cursor, table)
            assert name not in constraints
            # ...and another index starts with the column, so lookups by it stay indexed.
            assert any(
                (c["index"] or c["unique"]) and c["columns"] and c["columns"][0] == column
                for c in constraints.values()
            ) or column in ("question_code", "skill_slug", "action_code")


def _item_values(plan) -> list[dict]:
    skip = {"id", "plan_id", "updated_at"}
    fields = [f.attname for f in PlanItem._meta.concrete_fields if f.attname not in skip]
    return list(PlanItem.objects.filter(plan=plan).order_by("order").values(*fields))


def test_plan_items_insert_writes_what_bulk_create_writes(catalog, alice):
    plans = [
        Plan.objects.get(assessment=factories.submitted(alice, factories.leaning(1, 1)))
        for _ in range(3)
    ]
    source = list(PlanItem.objects.filter(plan=plans[0]).order_by("order"))
    assert len(source) > 5
    PlanItem.objects.filter(plan__in=plans[1:]).delete()

    def copies(plan):
        fields = [f.attname for f in PlanItem._meta.concrete_fields]
        made = [PlanItem(**{f: getattr(i, f) for f in fields}) for i in source]
        for item in made:
            item.pk, item.plan = None, plan
        made[0].status, made[0].note = PlanItem.Status.DONE, "Shipped it — “quoted” & <b>"
        made[1].status = PlanItem.Status.DOING
        # What an array literal must escape (PostgreSQL sends each column as one array).
        made[2].action, made[2].note = None, 'NULL, {braces}, "quotes", back\\slash\n, \'end'
        made[3].why = ""
        return made

    reads.plan_items_insert(plans[1], copies(plans[1]))
    PlanItem.objects.bulk_create(copies(plans[2]))
    assert _item_values(plans[1]) == _item_values(plans[2])
    assert _item_values(plans[1])[0]["status"] == "done"
    stamps = set(PlanItem.objects.filter(plan=plans[1]).values_list("updated_at", flat=True))
    assert len(stamps) == 1 and None not in stamps


def test_carried_from_latest_plan_matches_the_orm(catalog, alice, bob):
    assert reads.carried_from_latest_plan(alice.pk) == {}
    first = Plan.objects.get(assessment=factories.submitted(alice))
    PlanItem.objects.filter(plan=first, order=1).update(status="done", note="Did it.")
    assert reads.carried_from_latest_plan(alice.pk)[
        PlanItem.objects.get(plan=first, order=1).action_code
    ] == ("done", "Did it.")
    second = Plan.objects.get(assessment=factories.submitted(alice, factories.leaning(1, 1)))
    PlanItem.objects.filter(plan=second).update(status="doing", note="")
    latest = Plan.objects.filter(owner=alice).order_by("-created_at").first()
    assert latest == second
    expected = {
        code: (status, note)
        for code, status, note in latest.items.values_list("action_code", "status", "note")
    }
    assert reads.carried_from_latest_plan(alice.pk) == expected
    assert {status for status, _ in expected.values()} == {"doing"}
    assert reads.carried_from_latest_plan(bob.pk) == {}


def test_draft_update_writes_only_an_unchanged_draft_and_reads_back_the_same(catalog, alice):
    from datetime import timedelta

    from django.utils import timezone

    draft = factories.draft_for(alice)
    draft.refresh_from_db()
    now = timezone.now()
    fields = {
        "status": Assessment.Status.SUBMITTED,
        "submitted_at": now,
        "updated_at": now,
        "strategic": -12.5,
        "result": {"score": {"strategic": {"position": -12.5}}, "text": "“quoted” <b>"},
        "skill_scores": [["roadmapping", "Roadmaps", 40.0]],
        "is_latest_shared": False,
        "target_title_id": draft.target_title_id,
    }
    assert reads.draft_update(draft.pk, fields, draft.updated_at - timedelta(seconds=1)) == 0
    assert Assessment.objects.get(pk=draft.pk).status == Assessment.Status.DRAFT
    assert reads.draft_update(draft.pk, fields, draft.updated_at) == 1
    written = Assessment.objects.get(pk=draft.pk)
    for name, value in fields.items():
        assert getattr(written, name) == value, name
    assert reads.draft_update(draft.pk, fields, now) == 0  # submitted now: never again


def test_plan_insert_writes_what_save_writes(catalog, alice):
    source = Plan.objects.get(assessment=factories.submitted(alice))
    other = factories.submitted(alice, factories.leaning(1, 1))
    Plan.objects.filter(assessment=other).delete()

    def copy(assessment) -> Plan:
        fields = [f.attname for f in Plan._meta.concrete_fields if not f.primary_key]
        made = Plan(**{f: getattr(source, f) for f in fields})
        made.assessment, made.target_reason = assessment, "Chosen — “because” <b>"
        made.content = {**source.content, "note": "a 'quoted' {brace} \\ %s"}
        return made

    written = copy(other)
    reads.plan_insert(written)
    assert written._state.adding is False and written._state.db == "default"
    saved = copy(source.assessment)
    source.delete()
    saved.save()
    mine, theirs = Plan.objects.get(pk=written.pk), Plan.objects.get(pk=saved.pk)
    for field in Plan._meta.concrete_fields:
        if field.name not in ("id", "assessment", "created_at", "updated_at"):
            assert getattr(mine, field.attname) == getattr(theirs, field.attname), field.name
    assert (mine.created_at, mine.updated_at) == (written.created_at, written.updated_at)
    assert None not in (mine.created_at, mine.updated_at)
