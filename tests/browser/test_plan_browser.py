"""The plan in a real browser: open it, mark an action done with a note, see progress move;
axe passes; it reads at desktop and phone widths; it prints without the navigation."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from assessments import services
from assessments.models import Plan
from roles.models import Role
from roles.selectors import active_situations
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

TACTICAL = {
    "backlog-delivery",
    "feature-definition",
    "hands-on-execution",
    "customer-insight",
    "product-analytics",
}


@pytest.fixture
def loaded_catalog(transactional_db):
    from roles.services import SHIPPED_CATALOG, catalog_import

    catalog_import(data=json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8")))


@pytest.fixture
def plan(loaded_catalog) -> Plan:
    """A PM strong on delivery and weak on strategy and people, aiming at Director of PM."""
    user = User.objects.create_user(email="pat@example.com", password=PASSWORD, name="Pat Browser")
    draft = services.assessment_start(
        assessor=user,
        subject=user,
        current_title=Role.objects.get(slug="product-manager"),
        target_title=Role.objects.get(slug="director-of-pm"),
    )
    values = {}
    for question in services.active_questions():
        agree = 5 if question.skill.slug in TACTICAL else 2
        values[question.code] = agree if question.key == 1 else 6 - agree
    services.answers_save(assessment=draft, values=values)
    split = {"delivery": 50, "craft": 40, "strategy": 0, "people": 0, "other": 10}
    services.week_save(assessment=draft, split=split)
    services.styles_save(assessment=draft, choices={s.code: "direct" for s in active_situations()})
    return Plan.objects.get(assessment=services.assessment_submit(assessment=draft))


def sign_in(page: Page, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email address").fill("pat@example.com")
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name=re.compile("Pat Browser"))).to_be_visible()


def test_working_through_the_plan_in_a_browser(
    page: Page, live_server, plan, screenshot, assert_accessible
):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your plan towards Director of PM")
    total = plan.items.count()
    expect(page.locator("#progress-text")).to_contain_text(f"0 of {total} actions done")
    assert_accessible("plan")
    screenshot("plan-desktop")

    first = plan.items.order_by("horizon", "order").first()
    card = page.locator(f"#item-{first.action_code}")
    # One click saves at once, without a page load (the script); the page is not reloaded.
    page.evaluate("() => { window.notReloaded = true; }")
    card.get_by_role("button", name=re.compile("^Done")).click()
    expect(card.get_by_role("status")).to_have_text("Saved")
    expect(page.locator("#progress-text")).to_contain_text(f"1 of {total} actions done")
    assert page.evaluate("() => window.notReloaded === true")
    expect(card.get_by_role("button", name=re.compile("^Done"))).to_have_attribute(
        "aria-pressed", "true"
    )
    # Done asks, optionally, what came of it.
    evidence = card.get_by_label("What came of it (a sentence or a link)")
    expect(evidence).to_be_visible()
    evidence.fill("Walked my lead through it on Monday.")
    card.get_by_role("button", name=re.compile("^Save")).click()
    expect(card.get_by_role("status")).to_have_text("Saved")
    first.refresh_from_db()
    assert (first.status, first.evidence) == ("done", "Walked my lead through it on Monday.")
    assert_accessible("plan after saving")
    screenshot("plan-desktop-saved")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    assert_accessible("plan on a phone")
    screenshot("plan-phone")
    heights = page.evaluate(
        "() => [...document.querySelectorAll('.phase')].map(e => e.offsetHeight)"
    )
    assert heights and max(heights) <= 3 * 844, heights  # about three screens a phase at most

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(card.locator(".status-badge")).to_have_text("Done")  # on screen, next to the title
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Plan tools")).to_be_hidden()
    expect(page.get_by_role("heading", name=re.compile("^Days 31–60"))).to_be_visible()
    expect(page.get_by_text("☑ Done").first).to_be_visible()
    expect(card.locator(".status-badge")).to_be_hidden()  # on paper the status shows once
    screenshot("plan-print")


def test_status_buttons_work_without_javascript(browser, live_server, plan):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    first = plan.items.order_by("horizon", "order").first()
    card = page.locator(f"#item-{first.action_code}")
    card.get_by_role("button", name=re.compile("^Doing")).click()
    card = page.locator(f"#item-{first.action_code}")
    expect(card.get_by_role("status")).to_have_text("Saved")
    first.refresh_from_db()
    assert first.status == "doing"
    context.close()
