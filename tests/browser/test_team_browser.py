"""Manager review in a real browser: a manager opens the team page, assesses a report through
the questionnaire (radio labels clicked, an evidence note written), submits; the report signs
in and reads the comparison. axe passes on the team and comparison pages, and both read at
desktop and phone widths without sideways scrolling."""

import json
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import User
from assessments import services
from assessments.models import Assessment, PlanItem
from roles.models import Role
from tests import factories
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

EVIDENCE = "Alice coached two new APMs through their first launch this quarter."


@pytest.fixture
def loaded_catalog(transactional_db):
    from roles.services import SHIPPED_CATALOG, catalog_import

    catalog_import(data=json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8")))


@pytest.fixture
def team(loaded_catalog):
    """Bob manages Alice (a shared strategic-IC result) and four others in every state."""
    bob = make_user("bob@example.com", "Bob Manager")
    pm = Role.objects.get(slug="product-manager")
    people = [
        ("alice@example.com", "Alice Product", factories.leaning(1, -1), True),
        ("hana@example.com", "Hana Tactical", factories.leaning(-1, -1), True),
        ("ivan@example.com", "Ivan Leader", factories.leaning(1, 1), True),
        ("jia@example.com", "Jia Private", factories.leaning(-1, 1), False),
        ("lou@example.com", "Lou New", None, None),
    ]
    for email, name, answerer, shared in people:
        person = make_user(email, name, manager=bob, current_title=pm)
        if answerer:
            result = factories.submitted(person, answerer, shared=shared)
            items = PlanItem.objects.filter(plan__assessment=result).order_by("horizon", "order")
            for item in items[:2]:
                services.plan_item_update(
                    plan=item.plan, action_code=item.action_code, status="done", note=""
                )
    return bob


def sign_in(page: Page, base: str, email: str, name: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name=re.compile(name))).to_be_visible()


def check_both_widths(page: Page, screenshot, name: str) -> None:
    """Screenshots at 1280 and 390 pixels wide; the page never scrolls sideways."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(100)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
        screenshot(f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def answer_every_page(page: Page, alice: User) -> None:
    """Click a radio label for every statement, as a manager who sees a people leader; write
    one evidence note; move on page by page to the review."""
    answerer = factories.leaning(1, 1)
    noted = False
    while True:
        expect(page.get_by_text("You are assessing")).to_contain_text("Alice Product")
        for fieldset in page.locator("fieldset.question-fieldset").all():
            code = fieldset.get_attribute("id").removeprefix("q-")
            question = services.active_questions().get(code=code)
            fieldset.locator(".likert label").nth(answerer(question) - 1).click()
            if not noted and question.skill.slug == "mentoring-coaching":
                fieldset.get_by_label(re.compile("Evidence for this answer")).fill(EVIDENCE)
                noted = True
        next_page = page.get_by_role("button", name=re.compile("^Next: "))
        if next_page.count():
            next_page.click()
        else:
            page.get_by_role("button", name=re.compile("Review and submit")).click()
            break
    assert noted


def test_a_manager_assesses_a_report_who_then_reads_the_comparison(
    page: Page, live_server, team, screenshot, assert_accessible
):
    alice = User.objects.get(email="alice@example.com")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "bob@example.com", "Bob Manager")

    page.get_by_role("link", name="My team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your team")
    expect(page.get_by_text("5 people report to you.")).to_be_visible()
    expect(page.get_by_role("cell", name="Not shared")).to_be_visible()
    expect(page.get_by_role("cell", name="Not taken yet")).to_be_visible()
    expect(page.locator("table.heatmap caption")).to_contain_text("Skill scores (0 to 100)")
    assert_accessible("team")
    check_both_widths(page, screenshot, "team")

    page.locator("table.team-table").get_by_role("link", name="Alice Product").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alice Product")
    page.get_by_role("button", name="Assess Alice").click()
    answer_every_page(page, alice)

    expect(page.get_by_role("heading", level=1)).to_have_text("Review and submit")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bob’s view of Alice Product")
    view = Assessment.objects.get(assessor__email="bob@example.com", subject=alice)
    assert view.is_submitted
    assert view.answers.filter(note=EVIDENCE).count() == 1

    sign_in(page, live_server.url, "alice@example.com", "Alice Product")
    page.goto(live_server.url + reverse("assessments:manager_compare", args=[view.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your view and Bob’s, side by side")
    expect(page.get_by_text(EVIDENCE)).to_be_visible()
    expect(page.get_by_role("heading", name="A suggested 1:1 agenda")).to_be_visible()
    expect(page.get_by_text("Hidden strengths")).to_be_visible()
    assert_accessible("comparison")
    check_both_widths(page, screenshot, "comparison")
