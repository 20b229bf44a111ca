"""Whole journeys, clicking and typing like a person."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from assessments.models import Assessment
from tests import factories
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD_LABEL = re.compile(r"^\s*Password\*?\s*$")


@pytest.fixture
def loaded_catalog(transactional_db):
    from roles.services import SHIPPED_CATALOG, catalog_import

    catalog_import(data=json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8")))


def sign_in(page: Page, live_server, email: str, password: str = PASSWORD) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def answer_every_page(page: Page, choose) -> None:
    """Answer every statement (by value: agree / often is 4, disagree / rarely 2), split the
    week, pick an option in every situation, then submit from the review page."""
    while True:
        if page.locator("input[type=number]").count():
            for field, share in zip(
                page.locator("input[type=number]").all(), (30, 30, 20, 10, 10), strict=True
            ):
                field.fill(str(share))
        for fieldset in page.locator("fieldset.question-fieldset").all():
            radios = fieldset.locator("input[type=radio]")
            if not radios.count():
                continue
            value = choose(fieldset.locator("legend").inner_text())
            if fieldset.locator(f"input[value='{value}']").count():
                fieldset.locator(f"label:has(input[value='{value}'])").click()
            else:  # a situation: the first option as shown
                radios.first.check()
        review = page.get_by_role("button", name=re.compile("Review and submit"))
        if review.count():
            review.click()
            break
        page.get_by_role("button", name=re.compile("^Next")).click()
    expect(page.get_by_text("You have answered every statement")).to_be_visible()
    page.get_by_role("button", name="Submit").click()


def first_answers(statement: str) -> str:
    return "4" if len(statement) % 2 else "2"


def test_a_pm_takes_the_assessment_works_the_plan_and_retakes(
    page: Page, live_server, loaded_catalog, screenshot
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Your name").fill("Jo Journey")
    page.get_by_label("Email address").fill("jo@example.com")
    page.get_by_label(PASSWORD_LABEL).fill("a long and unusual passphrase")
    page.get_by_label("Password confirmation").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Create account").click()

    page.get_by_role("link", name="Assessment", exact=True).click()
    page.get_by_label(re.compile("Your current title")).select_option(
        label="Product manager (product management)"
    )
    page.get_by_label(re.compile("The title you are aiming for")).select_option(
        label="Director of product management (product leadership)"
    )
    page.get_by_role("button", name="Start the assessment").click()
    answer_every_page(page, first_answers)

    expect(page.get_by_role("heading", name="Where you sit today")).to_be_visible()
    expect(page.locator("svg.chart-map .you-point")).to_have_count(1)

    page.get_by_role("link", name=re.compile("Your plan towards Director of PM")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Director of PM")
    first_action = page.locator("form.plan-item-form").first
    first_action.get_by_role("button", name=re.compile("^Done")).click()
    expect(first_action.get_by_role("status")).to_have_text("Saved")
    first_action.get_by_label("Your notes").fill("Booked the first session.")
    first_action.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.get_by_text(re.compile(r"1 of \d+ actions done"))).to_be_visible()
    screenshot("journey-plan")

    # A retake: the plan's actions that carry over keep their status and notes, and the
    # earlier result shows as a trail on the map.
    page.get_by_role("link", name="Assessment", exact=True).click()
    page.get_by_role("button", name="Start the assessment").click()
    answer_every_page(page, first_answers)
    expect(page.get_by_role("heading", name="Where you sit today")).to_be_visible()
    expect(page.locator("svg.chart-map .trail-point")).to_have_count(1)
    expect(page.locator("svg.chart-map .trail-line")).to_have_count(1)
    screenshot("journey-retake-result")

    page.get_by_role("link", name=re.compile("Your plan towards")).click()
    expect(page.get_by_text(re.compile(r"[1-9]\d* of \d+ actions done"))).to_be_visible()
    expect(page.get_by_text("Booked the first session.", exact=True)).to_have_count(1)

    page.get_by_role("link", name="My results").click()
    expect(page.locator("table tbody tr")).to_have_count(2)
    page.get_by_role("button", name="Compare the two").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("How you moved")
    assert (
        Assessment.objects.filter(subject__email="jo@example.com", status="submitted").count() == 2
    )


def test_an_admin_rewords_a_question_and_only_new_assessments_use_it(
    page: Page, live_server, loaded_catalog
):
    from roles.models import Question

    make_user("admin@example.com", "Ada Admin", is_staff=True, is_superuser=True)
    pm = make_user("pm@example.com", "Pat Earlier")
    old = factories.submitted(pm, factories.leaning(strategic=-1, leadership=-1))
    question = Question.objects.get(code="backlog-delivery-1")

    sign_in(page, live_server, "pm@example.com")
    page.goto(live_server.url + f"/results/{old.pk}/")
    before = page.locator("main").inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "admin@example.com")
    page.goto(live_server.url + f"/admin/roles/question/{question.pk}/change/")
    page.get_by_label("Text:").fill("I keep one clear, ordered backlog that the team trusts.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    sign_in(page, live_server, "pm@example.com")
    page.goto(live_server.url + f"/results/{old.pk}/")
    assert page.locator("main").inner_text() == before
    expect(page.get_by_text("I keep one clear, ordered backlog")).to_have_count(0)

    page.goto(live_server.url + "/assessment/")
    page.get_by_role("button", name=re.compile("the assessment")).click()
    expect(
        page.get_by_role("group", name="I keep one clear, ordered backlog that the team trusts.")
    ).to_be_visible()


def test_a_person_downloads_their_data_and_deletes_their_account(
    page: Page, live_server, loaded_catalog
):
    person = make_user("leaving@example.com", "Lee Leaving")
    factories.submitted(person)
    sign_in(page, live_server, person.email)
    page.get_by_role("link", name=re.compile("Lee Leaving")).click()
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Download all my data")).click()
    with open(info.value.path(), encoding="utf-8") as downloaded:
        data = json.load(downloaded)
    assert data["profile"]["email"] == "leaving@example.com"
    assert len(data["assessments"]) == 1 and "strategic" in data["assessments"][0]

    page.get_by_role("link", name="Delete my account").click()
    page.get_by_label(re.compile("Your password")).fill(PASSWORD)
    page.get_by_label(re.compile("I understand")).check()
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_text("Your account and everything in it are deleted")).to_be_visible()
    assert not User.objects.filter(email="leaving@example.com").exists()

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("leaving@example.com")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That email and password do not match an account")).to_be_visible()
