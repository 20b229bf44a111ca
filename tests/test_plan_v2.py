"""The coach-grade plan through the pages: three focus areas in sequence, actions that fit the
person, a habit to let go of, honest distance, the manager at day 45 and day 90, evidence, and
one-click progress that still works without JavaScript."""

import json

import icalendar
import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Plan, PlanItem
from roles.models import DevelopmentAction, Role
from tests import factories

pytestmark = pytest.mark.django_db


def submitted(user, answerer, *, current: str, target: str | None = None, aspiration=""):
    draft = services.assessment_start(
        assessor=user,
        subject=user,
        current_title=Role.objects.get(slug=current),
        target_title=Role.objects.get(slug=target) if target else None,
        aspiration=aspiration,
    )
    factories.answer_all(draft, answerer)
    return services.assessment_submit(assessment=Assessment.objects.get(pk=draft.pk))


def tactical_ic(question) -> int:
    """Hands-on, delivery-heavy answers: high on tactical and IC statements, low elsewhere."""
    if question.pole in ("tactical", "ic"):
        return 5
    if question.pole:
        return 1
    hands_on = question.skill.slug in {"hands-on-execution", "backlog-delivery"}
    level = 5 if hands_on else 2
    return level if question.key == 1 else 6 - level


tactical_ic.week = {"delivery": 50, "craft": 40, "strategy": 0, "people": 0, "other": 10}


@pytest.fixture
def director_plan(alice, catalog) -> Plan:
    done = submitted(alice, tactical_ic, current="product-manager", target="director-of-pm")
    return Plan.objects.get(assessment=done)


def test_a_plan_has_at_most_three_focus_areas_in_sequence(client, alice, director_plan):
    focus = director_plan.content["focus"]
    assert 1 <= len(focus) <= 3
    assert [area["phase"] for area in focus] == list(range(1, len(focus) + 1))
    client.force_login(alice)
    html = client.get(reverse("assessments:plan", args=[director_plan.pk])).content.decode()
    for area in focus:
        assert f"Focus {area['phase']}." in html
    # No two focus areas share a sentence template.
    assert len({" ".join(a["why"].split()[:3]) for a in focus}) == len(focus)


def test_an_individual_contributor_is_never_given_a_step_that_needs_reports(director_plan):
    codes = director_plan.items.values_list("action_code", flat=True)
    kinds = set(
        DevelopmentAction.objects.filter(code__in=codes).values_list("role_kind", flat=True)
    )
    assert "leader" not in kinds


def test_a_hands_on_strength_is_named_as_the_habit_to_let_go(client, alice, director_plan):
    let_go = director_plan.content["let_go"]
    assert let_go is not None and let_go["skill"] in {"hands-on-execution", "backlog-delivery"}
    client.force_login(alice)
    html = client.get(reverse("assessments:plan", args=[director_plan.pk])).content.decode()
    assert "One habit to hand over" in html


def test_two_rungs_up_makes_the_intermediate_rung_the_90_day_milestone(
    client, alice, director_plan
):
    assert director_plan.content["milestone"] == "manager-of-pm"
    client.force_login(alice)
    html = client.get(reverse("assessments:plan", args=[director_plan.pk])).content.decode()
    assert "Director of PM is 2 rungs up" in html
    assert "Group PM" in html


def test_the_manager_is_in_the_plan_at_day_45_and_day_90_and_in_the_calendar(
    client, alice, bob, director_plan
):
    client.force_login(alice)
    html = client.get(reverse("assessments:plan", args=[director_plan.pk])).content.decode()
    assert "Check-in with Bob Manager" in html and "Review with Bob Manager" in html
    text = client.get(reverse("assessments:plan_ics", args=[director_plan.pk])).content
    calendar = icalendar.Calendar.from_ical(text)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    start = director_plan.created_at.date()
    check_in = events["Trajectory check-in with Bob Manager: day 45"]
    review = events["Trajectory review with Bob Manager: day 90"]
    assert (check_in.decoded("DTSTART") - start).days == 45
    assert (review.decoded("DTSTART") - start).days == 90
    assert len(events) == 5  # the three phases' ends too


def test_one_click_status_saves_at_once_and_the_form_works_without_javascript(
    client, alice, director_plan
):
    client.force_login(alice)
    item = director_plan.items.order_by("horizon", "order").first()
    url = reverse("assessments:plan_item", args=[director_plan.pk])
    response = client.post(
        url, {"action": item.action_code, "status": "doing"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "doing" and data["plan"]["doing"] == 1
    assert data["phase"]["days"] == item.horizon
    item.refresh_from_db()
    assert item.status == "doing"
    plain = client.post(url, {"action": item.action_code, "status": "done"})
    assert plain.status_code == 302  # no script: the page comes back with the change
    item.refresh_from_db()
    assert item.status == "done"
    html = client.get(reverse("assessments:plan", args=[director_plan.pk])).content.decode()
    assert 'src="/static/js/plan.js"' in html
    assert "What came of it? (optional)" in html  # done: asks, without insisting


def test_evidence_shows_on_the_plan_the_exports_and_the_managers_report_page(
    client, alice, bob, director_plan
):
    client.force_login(alice)
    item = director_plan.items.order_by("horizon", "order").first()
    url = reverse("assessments:plan_item", args=[director_plan.pk])
    said = "Ran the first cross-team review: https://example.com/notes"
    response = client.post(url, {"action": item.action_code, "status": "done", "evidence": said})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.evidence == said
    plan_url = reverse("assessments:plan", args=[director_plan.pk])
    assert "Ran the first cross-team review" in client.get(plan_url).content.decode()
    markdown = client.get(reverse("assessments:plan_markdown", args=[director_plan.pk]))
    assert f"*What came of it:* {said}" in markdown.content.decode()
    exported = json.loads(client.get(reverse("account_export")).content)
    assert any(a.get("evidence") == said for p in exported["plans"] for a in p["actions"])
    client.force_login(bob)  # the plan is shared (the result is): Bob reads the evidence
    report = client.get(reverse("assessments:report", args=[alice.public_id]))
    html = report.content.decode()
    assert "Ran the first cross-team review" in html and "Check-in: day 45" in html


def test_unshared_evidence_stays_private(client, alice, bob, catalog):
    done = factories.submitted(alice, factories.leaning(-1, -1), shared=False)
    plan = Plan.objects.get(assessment=done)
    item = plan.items.first()
    services.plan_item_update(plan=plan, action_code=item.action_code, status="done",
                              evidence="Secret outcome")  # fmt: skip
    client.force_login(bob)
    html = client.get(reverse("assessments:report", args=[alice.public_id])).content.decode()
    assert "Secret outcome" not in html


def test_too_long_evidence_is_refused_and_changes_nothing(client, alice, director_plan):
    client.force_login(alice)
    item = director_plan.items.first()
    url = reverse("assessments:plan_item", args=[director_plan.pk])
    response = client.post(
        url, {"action": item.action_code, "status": "done", "evidence": "x" * 501}
    )
    assert response.status_code == 400
    assert "at most 500 characters" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "todo" and item.evidence == ""


def test_a_retake_carries_status_and_evidence_and_shows_last_cycles_evidence(
    client, alice, director_plan
):
    item = director_plan.items.order_by("horizon", "order").first()
    services.plan_item_update(plan=director_plan, action_code=item.action_code, status="done",
                              evidence="Mentored Sam through a launch")  # fmt: skip
    again = submitted(alice, tactical_ic, current="product-manager", target="director-of-pm")
    new_plan = Plan.objects.get(assessment=again)
    # The same answers give the same plan: the action carries over, with its evidence.
    carried = new_plan.items.get(action_code=item.action_code)
    assert carried.status == "done" and carried.evidence == "Mentored Sam through a launch"
    assert item.skill_slug in {a["skill"] for a in new_plan.content["focus"]}
    client.force_login(alice)
    html = client.get(reverse("assessments:plan", args=[new_plan.pk])).content.decode()
    assert "Last cycle you did:" in html and "Mentored Sam through a launch" in html


def test_a_senior_pm_choosing_the_craft_path_gets_a_full_plan_to_principal(alice, catalog):
    done = submitted(alice, factories.leaning(-1, -1), current="senior-pm", aspiration="ic")
    plan = Plan.objects.get(assessment=done)
    assert done.target_title.slug == "principal-pm"
    assert plan.items.exists() and plan.content["milestone"] == ""
    codes = plan.items.values_list("action_code", flat=True)
    assert not DevelopmentAction.objects.filter(code__in=codes, role_kind="leader").exists()


def test_a_finished_phase_is_folded_and_progress_shows_per_phase(client, alice, director_plan):
    first = [i for i in director_plan.items.all() if i.horizon == 30]
    for item in first:
        services.plan_item_update(plan=director_plan, action_code=item.action_code, status="done")
    client.force_login(alice)
    html = client.get(reverse("assessments:plan", args=[director_plan.pk])).content.decode()
    assert f"{len(first)} of {len(first)} done · finished" in html
    section = html[html.index('id="days-30"') :]
    assert section[: section.index("</summary>")].count("<details open") == 0
    assert PlanItem.objects.filter(plan=director_plan, horizon=30, status="done").count() == len(
        first
    )


def test_a_plan_made_before_phases_shows_its_focus_areas_as_it_did(client, alice, director_plan):
    content = director_plan.content
    for area in content["focus"]:
        area.pop("phase"), area.pop("order_why")
    for key in ("let_go", "milestone", "milestone_name", "rungs"):
        content.pop(key)
    Plan.objects.filter(pk=director_plan.pk).update(content=content)
    client.force_login(alice)
    html = client.get(reverse("assessments:plan", args=[director_plan.pk])).content.decode()
    assert ">Where to focus</h2>" in html
    for area in content["focus"]:
        assert area["name"] in html
    assert "Focus 1." not in html
