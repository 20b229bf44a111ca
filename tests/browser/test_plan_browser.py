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
    card.get_by_text("Done", exact=True).click()
    card.get_by_label("Your notes").fill("Walked my lead through it on Monday.")
    card.get_by_role("button", name=re.compile("^Save")).click()

    expect(page.locator("#progress-text")).to_contain_text(f"1 of {total} actions done")
    card = page.locator(f"#item-{first.action_code}")
    expect(card.get_by_role("status")).to_have_text("Saved")
    expect(card.get_by_label("Done", exact=True)).to_be_checked()
    expect(card.get_by_label("Your notes")).to_have_value("Walked my lead through it on Monday.")
    first.refresh_from_db()
    assert (first.status, first.note) == ("done", "Walked my lead through it on Monday.")
    assert_accessible("plan after saving")
    screenshot("plan-desktop-saved")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    assert_accessible("plan on a phone")
    screenshot("plan-phone")

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(card.locator(".badge")).to_have_text("Done")  # on screen, next to the title
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Plan tools")).to_be_hidden()
    expect(page.get_by_role("heading", name="Days 31–60")).to_be_visible()
    expect(page.get_by_text("☑ Done").first).to_be_visible()
    expect(card.locator(".badge")).to_be_hidden()  # on paper the status shows once
    screenshot("plan-print")
