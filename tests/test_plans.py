"""The transition plan: its page, its writes, its downloads, who may see it, and the iCalendar
writer behind the check-ins (assessments/ics.py)."""

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone as dj_timezone

from assessments import ics, services
from assessments.models import Assessment, Plan, PlanItem
from roles.models import DevelopmentAction, Role, Skill
from roles.selectors import active_situations
from tests import factories

pytestmark = pytest.mark.django_db

TACTICAL = {
    "backlog-delivery",
    "feature-definition",
    "hands-on-execution",
    "customer-insight",
    "product-analytics",
}
STRATEGY_AND_LEADERSHIP_GROUPS = {"strategy", "influence", "people"}
QUERY_BUDGET = 12  # per page (tests/test_query_budgets.py)
HOSTILE = "Ship <script>alert(1)</script>, then; rest\\here\nline two"


# --- building plans through the real services -----------------------------------------------


def submit(user, agree, *, current="product-manager", target=None) -> Assessment:
    """A submitted self-assessment: ``agree(skill slug)`` is how much the person agrees
    (1..5) with the statements that raise that skill; reverse-keyed ones get the mirror."""
    draft = services.assessment_start(
        assessor=user,
        subject=user,
        current_title=Role.objects.get(slug=current),
        target_title=Role.objects.get(slug=target) if target else None,
    )
    values = {}
    for question in services.active_questions():
        level = agree(question.skill.slug)
        values[question.code] = level if question.key == 1 else 6 - level
    services.answers_save(assessment=draft, values=values)
    services.week_save(assessment=draft, split=factories.EVEN_WEEK)
    styles = {s.code: "coach" for s in active_situations()}
    services.styles_save(assessment=draft, choices=styles)
    return services.assessment_submit(assessment=draft)


def tactical(slug: str) -> int:
    """All-tactical individual contributor: delivery, hands-on and analytics high, the rest low."""
    return 5 if slug in TACTICAL else 1


def plan_of(assessment: Assessment) -> Plan:
    return Plan.objects.get(assessment=assessment)


@pytest.fixture
def alice_plan(catalog, alice) -> Plan:
    return plan_of(submit(alice, tactical, target="director-of-pm"))


def url(name: str, plan: Plan) -> str:
    return reverse(f"assessments:{name}", args=[plan.pk])


def first_item(plan: Plan) -> PlanItem:
    return plan.items.order_by("horizon", "order").first()


def post_item(client, plan: Plan, item: PlanItem, status: str = "done", note: str = "", **extra):
    return client.post(
        url("plan_item", plan),
        {"action": item.action_code, "status": status, "note": note, **extra},
    )


def progress_text(done: int, total: int) -> str:
    """The page's progress sentence, as drawn for ``done`` of ``total`` actions."""
    actions = "action" if total == 1 else "actions"
    return f'<strong id="progress-text-numbers">{done} of {total}</strong> {actions} done'


def pressed(html: str, item: PlanItem) -> list[str]:
    """The status buttons of ``item`` shown as pressed (a submit button per status)."""
    article = html[html.index(f'id="item-{item.action_code}"') :]
    article = article[: article.index("</article>")]
    return re.findall(
        r'<button type="submit" name="status" value="(\w+)" class="[^"]*" aria-pressed="true"',
        article,
    )


def snapshot(plan: Plan) -> tuple:
    """Everything a refused write must leave as it was."""
    plan.refresh_from_db()
    items = tuple(plan.items.order_by("pk").values_list("action_code", "status", "note"))
    return plan.target_name, plan.target_reason, plan.content, items


# --- what the plan says ----------------------------------------------------------------------


def test_an_all_tactical_ic_aiming_at_director_of_pm_gets_leadership_and_strategy_first(
    client_for, alice, alice_plan
):
    focus = [area["skill"] for area in alice_plan.content["focus"]]
    groups = dict(Skill.objects.values_list("slug", "group__slug"))
    assert focus, "a tactical PM has room to grow towards Director of PM"
    assert not set(focus) & TACTICAL
    assert {groups[slug] for slug in focus} <= STRATEGY_AND_LEADERSHIP_GROUPS
    assert groups[focus[0]] in {"strategy", "people"}
    # At most three focus areas, one after the other: each leads its phase, its main step due
    # by the phase's end and at most a small step in the phase before.
    assert len(focus) <= 3
    assert [area["phase"] for area in alice_plan.content["focus"]] == list(range(1, len(focus) + 1))
    for area in alice_plan.content["focus"]:
        horizon = (30, 60, 90)[area["phase"] - 1]
        horizons = sorted(
            alice_plan.items.filter(skill_slug=area["skill"]).values_list("horizon", flat=True)
        )
        assert horizons and horizons[-1] == horizon, area["skill"]
        assert horizons[0] >= horizon - 30, area["skill"]
    first_month = list(alice_plan.items.filter(horizon=30).order_by("order"))
    assert first_month[0].skill_slug == focus[0], "the first focus area leads the first month"
    # Every action grows a focus area, except the one habit to hand over: the only tactical one.
    let_go = alice_plan.content["let_go"]
    let_go_skills = {let_go["skill"]} if let_go else set()
    skills = set(alice_plan.items.values_list("skill_slug", flat=True))
    assert skills <= set(focus) | let_go_skills
    assert skills & TACTICAL <= let_go_skills
    strengths = {s["skill"] for s in alice_plan.content["strengths"]}
    assert strengths and strengths <= TACTICAL

    response = client_for(alice).get(url("plan", alice_plan))
    html = response.content.decode()
    positions = []
    for area in alice_plan.content["focus"]:
        section = html.index(f'id="days-{(30, 60, 90)[area["phase"] - 1]}"')
        position = html.index(f"Focus {area['phase']}.</span> {area['name']}")
        assert position > section, "each focus area leads its own phase"
        positions.append(position)
    assert positions == sorted(positions), "focus areas appear largest gap first"


def test_a_plan_stores_its_actions_once_as_items_in_the_drafted_order(alice, alice_plan):
    """The stored draft keeps focus areas and strengths; the actions live only as items."""
    assert all(area["actions"] == [] for area in alice_plan.content["focus"])
    from assessments.services.plans import _plan_draft

    drafted = _plan_draft(alice_plan.assessment, alice_plan.target_title, services.catalog())
    assert alice_plan.content == drafted.to_dict(actions=False)
    items = alice_plan.items.order_by("order")
    assert [(i.action_code, i.horizon, i.title, i.why) for i in items] == [
        (a.action_id, a.horizon, a.title, a.why) for a in drafted.actions
    ]


def test_the_page_shows_target_focus_actions_by_horizon_strengths_and_tools(
    client_for, alice, alice_plan
):
    response = client_for(alice).get(url("plan", alice_plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert "Your plan towards Director of PM" in html
    assert "You chose Director of PM as your target." in html  # picked at the start
    leads = {(30, 60, 90)[a["phase"] - 1]: a["name"] for a in alice_plan.content["focus"]}
    positions = []
    for days, label in ((30, "First 30 days"), (60, "Days 31–60"), (90, "Days 61–90")):
        heading = f"{label}: {leads[days].lower()}" if days in leads else label
        assert f">{heading}</h2>" in html
        positions.append(html.index(f'<section class="print-page mb-3 phase" id="days-{days}"'))
    assert positions == sorted(positions), "the actions come grouped by phase, in order"
    assert ">Where to focus</h2>" not in html  # only the no-gap plan has a heading of its own
    assert "Strengths to build on" in html
    area = alice_plan.content["focus"][0]
    assert area["why"].replace("’", "&#x27;") in html or area["why"] in html
    for item in alice_plan.items.all():
        assert f'id="item-{item.action_code}"' in html
    total = alice_plan.items.count()
    assert progress_text(0, total) in html
    assert 'class="progress-bar progress-0"' in html
    for name in ("plan_markdown", "plan_ics", "plan_target", "plan_item"):
        assert url(name, alice_plan) in html
    assert reverse("assessments:result", args=[alice_plan.assessment_id]) in html
    assert 'href="?print=1"' in html
    for role in Role.objects.all():
        assert f'<option value="{role.slug}"' in html
    assert '<option value="director-of-pm" selected>' in html
    assert not re.search(r"\sstyle=", html), "no inline styles: a strict CSP forbids them"
    assert "no-store" in response["Cache-Control"]


def test_a_result_above_every_expectation_gets_the_no_gap_plan_with_a_stretch_suggestion(
    client_for, catalog, alice
):
    plan = plan_of(submit(alice, lambda slug: 5))  # PM → Group PM by default
    assert plan.target_name == "Group PM"
    assert (
        plan.target_reason == "Group PM is the next rung on the product leadership ladder from PM."
    )
    assert plan.content["no_gap"] is True
    assert plan.content["focus"] == []
    # Nothing to grow, so no steps: at most the one habit to hand over (a skill far above
    # what Group PM expects).
    let_go = plan.content["let_go"]
    assert list(plan.items.values_list("action_code", flat=True)) == (
        [let_go["action"]["action_id"]] if let_go else []
    )
    client = client_for(alice)
    response = client.get(url("plan", plan))
    assert plan.target_reason in response.content.decode()
    assert "You already meet what Group PM asks for in every skill." in response.content.decode()
    # The stretch is the next title up on the same ladder, one click away.
    assert "the next title up is <strong>Director of PM</strong>" in response.content.decode()
    form_input = '<input type="hidden" name="target" value="director-of-pm">'
    assert response.content.decode().count(form_input) == 1

    response = client.post(url("plan_target", plan), {"target": "director-of-pm"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.target_name == "Director of PM"
    assert plan.target_reason == "You chose Director of PM as your target."


def test_the_top_of_a_ladder_with_no_gap_says_there_is_no_higher_rung(client_for, catalog, alice):
    plan = plan_of(submit(alice, lambda slug: 5, target="cpo"))
    response = client_for(alice).get(url("plan", plan))
    assert "CPO is the top of its ladder" in response.content.decode()
    assert 'name="target" value=' not in response.content.decode()


# --- working on it ---------------------------------------------------------------------------


def test_marking_an_action_done_with_a_note_saves_it_and_shows_it(client_for, alice, alice_plan):
    client = client_for(alice)
    item = first_item(alice_plan)
    response = post_item(client, alice_plan, item, "done", "Agreed the top ten with Sam.")
    assert response.status_code == 302
    assert response.url == (
        f"{url('plan', alice_plan)}?saved={item.action_code}#item-{item.action_code}"
    )
    item.refresh_from_db()
    assert (item.status, item.note) == ("done", "Agreed the top ten with Sam.")

    response = client.get(response.url)
    html = response.content.decode()
    total = alice_plan.items.count()
    assert progress_text(1, total) in html
    assert f"progress-{round(100 / total)}" in html
    saved = 'save-state" role="status">Saved</span>'
    assert html.count(saved) == 1, "only the action just saved is marked Saved"
    article = html[html.index(f'id="item-{item.action_code}"') :]
    assert saved in article[: article.index("</article>")]
    assert pressed(html, item) == ["done"]
    assert ">Agreed the top ten with Sam.</textarea>" in html


def test_doing_counts_as_under_way_not_done(client_for, alice, alice_plan):
    client = client_for(alice)
    post_item(client, alice_plan, first_item(alice_plan), "doing")
    html = client.get(url("plan", alice_plan)).content.decode()
    assert f"{progress_text(0, alice_plan.items.count())} · 1 under way" in html


def test_a_note_that_fits_the_textarea_is_accepted_with_browser_line_breaks(
    client_for, alice, alice_plan
):
    item = first_item(alice_plan)
    note = "a" * 1000 + "\r\n" + "b" * 999  # 2000 characters once the CRLF is one line break
    response = post_item(client_for(alice), alice_plan, item, "doing", note)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.note == "a" * 1000 + "\n" + "b" * 999


def test_a_post_without_a_note_field_keeps_the_note(client_for, alice, alice_plan):
    client = client_for(alice)
    item = first_item(alice_plan)
    post_item(client, alice_plan, item, "doing", "Keep me.")
    response = client.post(
        url("plan_item", alice_plan), {"action": item.action_code, "status": "done"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.note) == ("done", "Keep me.")


def test_changing_the_target_rebuilds_the_plan_and_keeps_done_actions(
    client_for, alice, alice_plan
):
    client = client_for(alice)
    first, second, third = (area["skill"] for area in alice_plan.content["focus"])
    roadmap = alice_plan.items.get(skill_slug=first, horizon=30)  # the first focus's step
    shared = alice_plan.items.get(skill_slug=second, horizon=60)  # the second focus's step
    people = alice_plan.items.get(skill_slug=third, horizon=90)  # the third focus's step
    untouched = alice_plan.items.get(skill_slug=third, horizon=60)  # its small first step
    post_item(client, alice_plan, people, "done", "Sat in on two interviews.")
    post_item(client, alice_plan, roadmap, "done", "")
    post_item(client, alice_plan, shared, "doing", "Drafted the first update.")

    # Associate PM relies little on the third focus area (a people skill): the new plan would
    # not pick its steps, yet the done one stays with its note; the untouched one goes. A step
    # both plans pick keeps its status and note.
    response = client.post(url("plan_target", alice_plan), {"target": "associate-pm"})
    assert response.status_code == 302
    assert response.url == url("plan", alice_plan)
    alice_plan.refresh_from_db()
    assert alice_plan.target_name == "Associate PM"
    assert alice_plan.target_reason == "You chose Associate PM as your target."
    assert alice_plan.content["target"] == "associate-pm"
    assert third not in {area["skill"] for area in alice_plan.content["focus"]}
    items = {i.action_code: i for i in alice_plan.items.all()}
    assert (items[people.action_code].status, items[people.action_code].note) == (
        "done",
        "Sat in on two interviews.",
    )
    assert items[roadmap.action_code].status == "done"
    assert (items[shared.action_code].status, items[shared.action_code].note) == (
        "doing",
        "Drafted the first update.",
    )
    assert untouched.action_code not in items
    html = client.get(url("plan", alice_plan)).content.decode()
    assert "Your plan now aims at Associate PM." in html
    assert "Sat in on two interviews." in html
    assert pressed(html, items[people.action_code]) == ["done"]


def test_a_retake_keeps_the_status_and_note_of_actions_that_carry_over(
    client_for, alice, alice_plan
):
    client = client_for(alice)
    item = first_item(alice_plan)
    post_item(client, alice_plan, item, "done", "Shared with the team on Friday.")

    new_plan = plan_of(submit(alice, tactical, target="director-of-pm"))
    assert new_plan.pk != alice_plan.pk
    html = client.get(url("plan", new_plan)).content.decode()
    carried = new_plan.items.get(action_code=item.action_code)
    assert (carried.status, carried.note) == ("done", "Shared with the team on Friday.")
    assert pressed(html, carried) == ["done"]
    assert ">Shared with the team on Friday.</textarea>" in html
    assert progress_text(1, new_plan.items.count()) in html

    old = client.get(url("plan", alice_plan)).content.decode()
    assert "This plan belongs to an earlier result." in old
    assert url("plan", new_plan) in old


def test_a_retake_leaves_behind_done_actions_the_new_result_no_longer_needs(
    client_for, alice, alice_plan
):
    client = client_for(alice)
    people = alice_plan.content["focus"][-1]["skill"]  # a leadership skill, not tactical
    hiring = alice_plan.items.get(skill_slug=people, horizon=90)
    post_item(client, alice_plan, hiring, "done", "Ran my first interview.")

    grown = plan_of(submit(alice, lambda slug: 1 if slug in TACTICAL else 5))
    focus = {area["skill"] for area in grown.content["focus"]}
    let_go = grown.content["let_go"]
    assert people not in focus
    assert set(grown.items.values_list("skill_slug", flat=True)) <= focus | (
        {let_go["skill"]} if let_go else set()
    )
    assert not grown.items.filter(skill_slug=people).exists()
    hiring.refresh_from_db()
    assert (hiring.status, hiring.note) == ("done", "Ran my first interview.")


def test_a_change_shows_on_the_next_visit(client_for, alice, alice_plan):
    """The page is drawn on every request: a change made after a visit shows on the next."""
    client = client_for(alice)
    item = first_item(alice_plan)
    before = client.get(url("plan", alice_plan)).content.decode()
    assert pressed(before, item) == ["todo"]
    assert "Booked the first session." not in before
    post_item(client, alice_plan, item, "done", "Booked the first session.")
    page = client.get(url("plan", alice_plan)).content.decode()
    assert "Booked the first session." in page
    assert pressed(page, item) == ["done"]


def test_every_visitor_gets_forms_with_a_working_csrf_token(alice, alice_plan):
    item = first_item(alice_plan)
    for status in ("doing", "done"):  # two visitors, one after the other
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(alice)
        page = browser.get(url("plan", alice_plan)).content.decode()
        form = page[page.index(f'value="{item.action_code}"') - 400 :]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        response = browser.post(
            url("plan_item", alice_plan),
            {"csrfmiddlewaretoken": token, "action": item.action_code, "status": status},
        )
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.status == status


# --- who may see it --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["dave", "bob", "charlie"])
def test_another_persons_plan_is_404_for_every_page_and_post(
    request, client_for, alice_plan, erin, who
):
    """An outsider, alice's own manager and another manager: none of them reach the plan."""
    client = client_for(request.getfixturevalue(who))
    before = snapshot(alice_plan)
    item = first_item(alice_plan)
    for name in ("plan", "plan_markdown", "plan_ics"):
        assert client.get(url(name, alice_plan)).status_code == 404, name
    assert post_item(client, alice_plan, item, "done", "not mine").status_code == 404
    response = client.post(url("plan_target", alice_plan), {"target": "cpo"})
    assert response.status_code == 404
    assert snapshot(alice_plan) == before


def test_staff_with_view_all_results_read_the_plan_but_cannot_change_it(
    client_for, alice_plan, staff
):
    client = client_for(staff)
    response = client.get(url("plan", alice_plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Product’s plan towards Director of PM" in html
    assert "It is read-only" in html
    assert url("plan_item", alice_plan) not in html
    assert url("plan_target", alice_plan) not in html
    assert "<textarea" not in html
    assert client.get(url("plan_markdown", alice_plan)).status_code == 200
    assert client.get(url("plan_ics", alice_plan)).status_code == 200

    before = snapshot(alice_plan)
    assert post_item(client, alice_plan, first_item(alice_plan)).status_code == 404
    response = client.post(url("plan_target", alice_plan), {"target": "cpo"})
    assert response.status_code == 404
    assert snapshot(alice_plan) == before


def test_anonymous_visitors_are_sent_to_sign_in(client, alice_plan):
    login = reverse("login")
    before = snapshot(alice_plan)
    for name in ("plan", "plan_markdown", "plan_ics"):
        response = client.get(url(name, alice_plan))
        assert response.status_code == 302
        assert response.url == f"{login}?next={url(name, alice_plan)}"
    for name in ("plan_item", "plan_target"):
        response = client.post(url(name, alice_plan), {"target": "cpo", "status": "done"})
        assert response.status_code == 302
        assert response.url.startswith(f"{login}?next=")
    assert snapshot(alice_plan) == before


@pytest.mark.parametrize("name", ["plan_item", "plan_target"])
def test_get_on_a_write_url_is_405(client_for, alice, alice_plan, name):
    assert client_for(alice).get(url(name, alice_plan)).status_code == 405


def test_a_plan_that_does_not_exist_is_404(client_for, alice, catalog):
    missing = "00000000-0000-0000-0000-000000000000"
    response = client_for(alice).get(reverse("assessments:plan", args=[missing]))
    assert response.status_code == 404


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["finished", "", "DONE", "done "])
def test_an_unknown_status_is_refused_and_changes_nothing(client_for, alice, alice_plan, status):
    before = snapshot(alice_plan)
    response = post_item(client_for(alice), alice_plan, first_item(alice_plan), status, "x")
    assert response.status_code == 400
    assert "Choose a status: To do, Doing or Done." in response.content.decode()
    assert snapshot(alice_plan) == before


def test_an_action_not_in_this_plan_is_refused_and_changes_nothing(
    client_for, alice, dave, alice_plan
):
    in_plan = set(alice_plan.items.values_list("action_code", flat=True))
    elsewhere = DevelopmentAction.objects.exclude(code__in=in_plan).first()
    daves_plan = plan_of(submit(dave, lambda slug: 1 if slug in TACTICAL else 5))
    daves_only = daves_plan.items.exclude(action_code__in=in_plan).first()
    before = snapshot(alice_plan)
    dave_before = snapshot(daves_plan)
    client = client_for(alice)
    for code in (elsewhere.code, daves_only.action_code, "", "../../etc"):
        response = client.post(
            url("plan_item", alice_plan), {"action": code, "status": "done", "note": ""}
        )
        assert response.status_code == 400, code
        assert "That action is not in this plan." in response.content.decode()
    assert snapshot(alice_plan) == before
    assert snapshot(daves_plan) == dave_before


def test_a_note_over_2000_characters_is_refused_and_changes_nothing(client_for, alice, alice_plan):
    before = snapshot(alice_plan)
    response = post_item(client_for(alice), alice_plan, first_item(alice_plan), "done", "n" * 2001)
    assert response.status_code == 400
    assert "at most 2000 characters; this one has 2001" in response.content.decode()
    assert snapshot(alice_plan) == before


@pytest.mark.parametrize("target", ["chief-wizard", "", "1", "Director of PM"])
def test_an_unknown_target_title_is_refused_and_changes_nothing(
    client_for, alice, alice_plan, target
):
    before = snapshot(alice_plan)
    response = client_for(alice).post(url("plan_target", alice_plan), {"target": target})
    assert response.status_code == 400
    assert "Choose one of the titles in the list." in response.content.decode()
    assert snapshot(alice_plan) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plan_item", {"status": "done", "note": "", "owner": "dave"}),
        ("plan_item", {"status": ["done", "todo"], "note": ""}),
        ("plan_target", {"target": "cpo", "chosen": "0"}),
        ("plan_target", {"target": ["cpo", "vp-product"]}),
    ],
)
def test_extra_or_repeated_post_fields_are_refused_and_change_nothing(
    client_for, alice, alice_plan, name, data
):
    if name == "plan_item":
        data = {"action": first_item(alice_plan).action_code, **data}
    before = snapshot(alice_plan)
    response = client_for(alice).post(url(name, alice_plan), data)
    assert response.status_code == 400
    assert "Nothing from it was saved." in response.content.decode()
    assert snapshot(alice_plan) == before


# --- downloads ----------------------------------------------------------------------------------


def test_the_markdown_download_has_the_whole_plan(client_for, alice, alice_plan):
    client = client_for(alice)
    done = first_item(alice_plan)
    post_item(client, alice_plan, done, "done", "First line.\n# not a heading")
    response = client.get(url("plan_markdown", alice_plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="trajectory-plan-\d{4}-\d{2}-\d{2}\.md"',
        response["Content-Disposition"],
    )
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert text.startswith("# Your plan towards Director of PM\n")
    assert f"**Why this target:** {alice_plan.target_reason}" in text
    total = alice_plan.items.count()
    assert f"**Progress:** 1 of {total} actions done." in text
    assert "**Your manager:** a check-in on day 45 and a review on day 90." in text
    if alice_plan.content["milestone"]:
        assert f"**Milestone at day 90:** {alice_plan.content['milestone_name']} (" in text
    assert "## Where to focus" in text
    headings = []
    for area in alice_plan.content["focus"]:
        headings.append(text.index(f"### Focus {area['phase']}: {area['name']}\n"))
        assert area["order_why"] in text
        assert area["why"] in text
    assert headings == sorted(headings), "focus areas in phase order"
    if alice_plan.content["let_go"]:
        assert f"### One habit to hand over: {alice_plan.content['let_go']['name']}" in text
    sections = [text.index(f"## {h}") for h in ("First 30 days", "Days 31–60", "Days 61–90")]
    assert sections == sorted(sections)
    assert f"- [x] **{done.title}** — {done.skill_name}" in text
    # A multi-line note stays inside its list item instead of becoming a heading.
    assert "  *Your note:* First line.\n  # not a heading" in text
    for item in alice_plan.items.exclude(pk=done.pk):
        assert f"- [ ] **{item.title}**" in text
    assert "## Strengths to build on" in text
    for strength in alice_plan.content["strengths"]:
        assert f"- **{strength['name']}**: {strength['why']}" in text


def ics_lines(body: bytes) -> list[str]:
    """Check the physical lines (CRLF, at most 75 octets, folds start with a space) and
    return the unfolded content lines."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\n" not in line and "\r" not in line, "bare line break"
        assert len(line.encode("utf-8")) <= 75, line
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def ics_events(lines: list[str]) -> list[dict[str, str]]:
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name] = value
    return events


def test_the_calendar_download_has_the_phase_ends_and_the_managers_check_in_and_review(
    client_for, alice, alice_plan
):
    client = client_for(alice)
    response = client.get(url("plan_ics", alice_plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="trajectory-')
    assert "no-store" in response["Cache-Control"]
    lines = ics_lines(response.content)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    events = ics_events(lines)
    # The end of each of the three phases, and the manager's check-in (day 45) and review.
    manager = ics.escape_text(alice.manager.display_name)
    phases = {f"Trajectory check-in: day {days}": days for days in (30, 60, 90)}
    moments = {
        f"Trajectory check-in with {manager}: day 45": 45,
        f"Trajectory review with {manager}: day 90": 90,
    }
    by_summary = {e["SUMMARY"]: e for e in events}
    assert len(events) == len(by_summary) == 5
    assert set(by_summary) == set(phases) | set(moments)
    start = dj_timezone.localdate(alice_plan.created_at)
    for summary, days in (phases | moments).items():
        event = by_summary[summary]
        day = start + timedelta(days=days)
        assert event["DTSTART;VALUE=DATE"] == f"{day:%Y%m%d}", summary
        assert event["DTEND;VALUE=DATE"] == f"{day + timedelta(days=1):%Y%m%d}", summary
        assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
    # Each phase's event lists exactly the actions of that phase.
    for summary, days in phases.items():
        for item in alice_plan.items.all():
            listed = ics.escape_text(item.title) in by_summary[summary]["DESCRIPTION"]
            assert listed == (item.horizon == days), (days, item.title)
    uids = [e["UID"] for e in events]
    assert len(set(uids)) == len(events)
    assert all(str(alice_plan.pk) in uid for uid in uids)
    # Stable: downloading again (even after a change) gives the same UIDs, so a calendar
    # updates its events instead of adding copies.
    done = first_item(alice_plan)
    post_item(client, alice_plan, done, "done")
    again = ics_events(ics_lines(client.get(url("plan_ics", alice_plan)).content))
    assert [e["UID"] for e in again] == uids
    phase_end = next(e for e in again if e["SUMMARY"] == f"Trajectory check-in: day {done.horizon}")
    assert "[x] " + ics.escape_text(done.title) in phase_end["DESCRIPTION"]


def test_hostile_text_from_the_catalog_is_inert_on_the_page_and_in_the_downloads(
    client_for, alice, alice_plan
):
    client = client_for(alice)
    code = first_item(alice_plan).action_code
    DevelopmentAction.objects.filter(code=code).update(title=HOSTILE)
    client.post(url("plan_target", alice_plan), {"target": "director-of-pm"})  # regenerate
    assert alice_plan.items.get(action_code=code).title == HOSTILE
    post_item(client, alice_plan, first_item(alice_plan), "doing", "Note, with; <b>bold</b>\\")

    html = client.get(url("plan", alice_plan)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;, then; rest\\here" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html

    text = client.get(url("plan_markdown", alice_plan)).content.decode()
    assert "**Ship <script>alert(1)</script>, then; rest\\here\n  line two**" in text
    assert "*Your note:* Note, with; <b>bold</b>\\" in text

    lines = ics_lines(client.get(url("plan_ics", alice_plan)).content)
    events = ics_events(lines)
    horizon = alice_plan.items.get(action_code=code).horizon
    # The end of the action's phase lists it, escaped.
    phase_end = next(e for e in events if e["SUMMARY"] == f"Trajectory check-in: day {horizon}")
    description = phase_end["DESCRIPTION"]
    assert "Ship <script>alert(1)</script>\\, then\\; rest\\\\here\\nline two" in description
    assert not any("alert(1)</script>, " in e.get("DESCRIPTION", "") for e in events)
    assert not any(line.startswith("line two") for line in lines)


# --- query budget -------------------------------------------------------------------------------


def test_the_plan_page_query_count_does_not_grow_with_its_actions(
    client_for, alice, alice_plan, django_assert_max_num_queries
):
    # The session, its person and "has reports"; the plan with its result's date, its items,
    # the titles for the target select, a newer plan of the owner's (7). The owner never
    # costs permission queries.
    budget = QUERY_BUDGET
    client = client_for(alice)
    client.get(url("plan", alice_plan))  # warm the session
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=alice_plan,
            action_code=f"extra-{n}",
            skill_slug="roadmapping",
            skill_name="Roadmaps",
            horizon=(30, 60, 90)[n % 3],
            title=f"Extra step {n}",
            description="More.",
            order=100 + n,
        )
        for n in range(30)
    )
    with django_assert_max_num_queries(budget) as many:
        assert client.get(url("plan", alice_plan)).status_code == 200
    alice_plan.items.exclude(pk=first_item(alice_plan).pk).delete()
    with django_assert_max_num_queries(budget) as few:
        assert client.get(url("plan", alice_plan)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# --- printing ---------------------------------------------------------------------------------


def test_the_printable_version_is_read_only_with_one_page_per_horizon(
    client_for, alice, alice_plan
):
    client = client_for(alice)
    post_item(client, alice_plan, first_item(alice_plan), "done", "Printed note.")
    html = client.get(url("plan", alice_plan) + "?print=1").content.decode()
    assert "This is the printable version" in html
    assert url("plan_item", alice_plan) not in html
    assert html.count('class="print-page') == 3
    assert "☑ Done" in html
    assert "Printed note." in html
    done = html[html.index(f'id="item-{first_item(alice_plan).action_code}"') :]
    done = done[: done.index("</article>")]
    assert done.count("Done") == 1, "the status shows once, not as a badge too"


# --- the iCalendar writer -----------------------------------------------------------------------


def test_ics_text_escapes_backslashes_semicolons_commas_and_newlines():
    assert ics.escape_text("a\\b;c,d\r\ne\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert ics.escape_text("plain words") == "plain words"


def test_ics_folding_keeps_lines_within_75_octets_and_characters_whole():
    line = "DESCRIPTION:" + "é" * 40 + "x" * 50 + "日本" * 20
    folded = ics.fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") and not p.startswith("  ") for p in pieces[1:])
    assert "".join([pieces[0], *(p[1:] for p in pieces[1:])]) == line


def test_ics_folding_leaves_short_lines_alone_and_never_splits_an_escape():
    exact = "X:" + "a" * 73
    assert ics.fold(exact) == exact
    folded = ics.fold("X:" + "a" * 72 + "\\n" + "b")
    assert folded == "X:" + "a" * 72 + "\r\n \\nb"


def test_ics_calendar_has_prodid_version_and_all_day_events_in_utc():
    stamp = datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    text = ics.calendar(
        [ics.Event(uid="u-1@x", day=date(2025, 3, 31), summary="Day 30; check", description="")],
        prodid="-//Test//EN",
        stamp=stamp,
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nPRODID:-//Test//EN\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\r\nDTSTAMP:20250301T073000Z\r\n" in text
    assert "\r\nDTSTART;VALUE=DATE:20250331\r\nDTEND;VALUE=DATE:20250401\r\n" in text
    assert "\r\nSUMMARY:Day 30\\; check\r\n" in text
    assert "DESCRIPTION" not in text
    assert text.count("BEGIN:VEVENT") == text.count("END:VEVENT") == 1


def test_ics_refuses_a_timestamp_without_a_time_zone():
    with pytest.raises(ValueError, match="aware"):
        ics.calendar([], prodid="-//Test//EN", stamp=datetime(2025, 1, 1))
