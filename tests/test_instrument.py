"""Instrument v2 through the pages: the path a person wants, the week's split, the situations,
a balanced reading everywhere, quality flags, the style lens, the About page's worked example,
and results of the first instrument shown as they were."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments import reading, services, worked_example
from assessments.models import Assessment, Plan
from assessments.views.pages import pages_for
from roles.models import Role, Situation
from roles.selectors import active_situations
from tests import factories

pytestmark = pytest.mark.django_db


def page_number(draft, kind: str) -> int:
    kinds = [p.kind for p in pages_for(draft, active_situations())]
    return kinds.index(kind) + 1


def page_url(draft, number: int) -> str:
    return reverse("assessments:page", args=[draft.pk, number])


# --- the path a person wants -----------------------------------------------------------------


def test_the_start_page_shows_the_next_rung_on_both_paths_once_a_title_is_known(
    client, alice, catalog
):
    client.force_login(alice)
    assert "next rung from" not in client.get(reverse("assessments:start")).content.decode()
    alice.current_title = Role.objects.get(slug="senior-pm")
    alice.save()
    html = client.get(reverse("assessments:start")).content.decode()
    assert "Deeper craft: next rung from Senior PM" in html
    assert "Leading people: next rung from Senior PM" in html
    assert escape(Role.objects.get(slug="principal-pm").name) in html


def test_the_default_target_is_the_next_rung_on_the_chosen_path(client, alice, catalog):
    client.force_login(alice)
    senior = Role.objects.get(slug="senior-pm")
    response = client.post(
        reverse("assessments:start"),
        {"current_title": str(senior.pk), "target_title": "", "aspiration": "ic"},
    )
    draft = Assessment.objects.get(subject=alice, status="draft")
    assert response.status_code == 302 and draft.aspiration == "ic"
    factories.answer_all(draft, factories.leaning(1, -1))
    done = services.assessment_submit(assessment=Assessment.objects.get(pk=draft.pk))
    assert done.target_title.slug == "principal-pm"  # the craft path, a full target
    plan = Plan.objects.get(assessment=done)
    assert plan.items.exists()
    assert "you chose deeper craft" in plan.target_reason


# --- the week's split --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ({"delivery": 50, "craft": 20, "strategy": 10, "people": 0, "other": 0}, "add up to 80%"),
        ({"delivery": -10, "craft": 60, "strategy": 50, "people": 0, "other": 0}, "negative"),
        ({"delivery": "lots", "craft": 60, "strategy": 40, "people": 0, "other": 0}, "whole"),
    ],
)
def test_a_week_that_does_not_add_up_says_so_beside_the_question_and_loses_nothing(
    client, alice, catalog, shares, message
):
    draft = factories.draft_for(alice)
    first = services.active_questions().first()
    services.answers_save(assessment=draft, values={first.code: 4})
    client.force_login(alice)
    url = page_url(draft, page_number(draft, "week"))
    response = client.post(url, {**shares, "action": "next"})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'id="week"' in html
    for kind, value in shares.items():
        assert f'value="{value}"' in html or (kind == "delivery" and value == "lots")
    draft.refresh_from_db()
    assert draft.time_allocation is None
    assert draft.answers.get(question_code=first.code).value == 4  # nothing else lost


def test_a_week_that_adds_up_is_saved(client, alice, catalog):
    draft = factories.draft_for(alice)
    client.force_login(alice)
    number = page_number(draft, "week")
    shares = {"delivery": 30, "craft": 30, "strategy": 20, "people": 10, "other": 10}
    response = client.post(page_url(draft, number), {**shares, "action": "next"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.time_allocation == shares


def test_a_managers_assessment_asks_no_week_and_no_situations(bob, alice, catalog):
    draft = factories.draft_for(alice, assessor=bob)
    kinds = [p.kind for p in pages_for(draft, active_situations())]
    assert set(kinds) == {"statements"}


# --- the situations ------------------------------------------------------------------------------


def test_situation_options_are_shuffled_per_person_and_choices_keep_their_wording(
    client, alice, dave, catalog
):
    drafts = [factories.draft_for(person) for person in (alice, dave)]
    situations = list(Situation.objects.order_by("order"))
    orders = []
    for person, draft in zip((alice, dave), drafts, strict=True):
        client.force_login(person)
        url = page_url(draft, page_number(draft, "situations"))
        visits = []
        for _ in range(2):
            html = client.get(url).content.decode()
            order = []
            for situation in situations:
                start = html.index(escape(situation.text))
                marks = {s: html.index(f'value="{s}"', start) for s in Situation.STYLES}
                order.append(tuple(sorted(marks, key=marks.get)))
            visits.append(order)
        assert visits[0] == visits[1]  # the same order on every visit
        orders.append(visits[0])
    assert orders[0] != orders[1]  # shuffled per person
    assert any(o != Situation.STYLES for o in orders[0])  # no style always first
    client.force_login(alice)
    choices = {f"s-{s.code}": "delegate" for s in situations}
    url = page_url(drafts[0], page_number(drafts[0], "situations"))
    assert client.post(url, {**choices, "action": "next"}).status_code == 302
    stored = Assessment.objects.get(pk=drafts[0].pk).style_choices
    first = situations[0]
    assert stored[first.code] == {"style": "delegate", "text": first.text, "option": first.delegate}


def test_submitting_needs_the_week_and_every_situation(client, alice, catalog):
    draft = factories.draft_for(alice)
    services.answers_save(assessment=draft, values={q.code: 3 for q in services.active_questions()})
    client.force_login(alice)
    html = client.get(reverse("assessments:review", args=[draft.pk])).content.decode()
    assert "How your typical week splits" in html and "still need" in html
    with pytest.raises(services.Incomplete) as missing:
        services.assessment_submit(assessment=Assessment.objects.get(pk=draft.pk))
    assert missing.value.week and missing.value.situations


# --- a balanced reading, flags and the style lens ----------------------------------------------


@pytest.fixture
def balanced(alice, catalog):
    """Alice answers neutrally on everything (straight-lining), with an even week."""
    return factories.submitted(alice, factories.neutral)


def test_a_balanced_result_has_no_quadrant_and_reads_balanced_everywhere(
    client, alice, bob, balanced
):
    assert balanced.quadrant == "" and balanced.placement == "balanced"
    client.force_login(alice)
    result = client.get(reverse("assessments:result", args=[balanced.pk])).content.decode()
    assert "Near the centre of the map" in result
    history = client.get(reverse("assessments:history")).content.decode()
    assert "Balanced on both axes" in history
    exported = json.loads(client.get(reverse("account_export")).content)
    assert exported["assessments"][-1]["reading"] == "Balanced on both axes"
    assert exported["assessments"][-1]["quadrant"] == ""
    client.force_login(bob)
    team = client.get(reverse("assessments:team")).content.decode()
    assert "Balanced on both axes" in team
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("assessments:team_csv")).content.decode()))
    )
    assert any("Balanced on both axes" in row for row in rows)


def test_quality_flags_are_named_for_the_person_and_for_their_manager(client, alice, bob, balanced):
    assert "straight-lining" in balanced.result["score"]["flags"]
    for viewer in (alice, bob):
        client.force_login(viewer)
        html = client.get(reverse("assessments:result", args=[balanced.pk])).content.decode()
        assert "How much to read into this" in html
        assert escape("Nearly every answer is the same") in html


def test_the_style_lens_shows_on_the_result_and_a_delegating_style_adds_check_ins(
    client, alice, bob, catalog
):
    draft = factories.draft_for(alice)
    factories.answer_all(draft, factories.leaning(1, 1))
    services.styles_save(
        assessment=draft, choices={s.code: "delegate" for s in active_situations()}
    )
    done = services.assessment_submit(assessment=Assessment.objects.get(pk=draft.pk))
    assert done.result["score"]["style"]["counts"]["delegate"] == len(active_situations())
    for viewer in (alice, bob):  # shared: the manager sees it too
        client.force_login(viewer)
        html = client.get(reverse("assessments:result", args=[done.pk])).content.decode()
        assert "style in situations" in html and "Delegating" in html
    items = Plan.objects.get(assessment=done).items.all()
    practice = [i for i in items if "handed the work over" in i.why]
    assert len(practice) == 1
    assert practice[0].action.practice == "regular-check-ins"


# --- the About page and the first instrument's results -----------------------------------------


def test_the_about_page_shows_the_worked_example_computed_by_the_scoring_code(client, db):
    html = client.get(reverse("about_scoring")).content.decode()
    _, _, result = worked_example.example()
    for axis in reading.axis_rows(result):
        assert escape(axis["sum"]) in html
        assert f"±{axis['axis'].band:.1f}" in html
    assert escape(reading.placement_summary(result)) in html
    assert "0.75 × S + 0.25 × T" in html


def test_a_first_instrument_result_shows_as_it_was_with_the_centre_not_mislabelled(
    client, alice, catalog
):
    done = factories.submitted(alice, factories.leaning(1, -1))
    score = done.result["score"]
    for key in ("instrument", "flags", "time", "style"):
        score.pop(key)
    for axis in ("strategic", "leadership"):
        for key in ("high_pole", "low_pole", "statements", "time"):
            score[axis].pop(key, None)
        score[axis]["position"] = 0.0
    Assessment.objects.filter(pk=done.pk).update(
        result=done.result, quadrant="tactical-ic", placement="", strategic=0.0, leadership=0.0
    )
    client.force_login(alice)
    html = client.get(reverse("assessments:result", args=[done.pk])).content.decode()
    assert html.count("Tactical individual contributor") <= 1  # the map's corner label only
    assert "average of the skills at one end" in html  # the first instrument's explanation
    history = client.get(reverse("assessments:history")).content.decode()
    assert "Balanced on both axes" in history
