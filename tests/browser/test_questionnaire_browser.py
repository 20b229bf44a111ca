"""The heart of the product in a real browser: sign up, answer every page, read the result.

The whole questionnaire is completed with the keyboard alone, and focus stays visible.
"""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Assessment

pytestmark = pytest.mark.django_db(transaction=True)

FOCUS_OUTLINE = """() => {
  const el = document.activeElement;
  const target = el.type === 'radio' ? (el.closest('label') || el) : el;
  const style = getComputedStyle(target);
  return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
}"""


@pytest.fixture
def loaded_catalog(transactional_db):
    from roles.services import SHIPPED_CATALOG, catalog_import

    catalog_import(data=json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8")))


def tab_to(page: Page, pattern: str, limit: int = 80) -> None:
    """Press Tab until the focused element's text matches pattern."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("() => document.activeElement.innerText || ''")
        if re.search(pattern, text):
            assert page.evaluate(FOCUS_OUTLINE), f"focus is not visible on {text!r}"
            return
    raise AssertionError(f"never reached {pattern!r} with Tab")


def answer_page_with_keyboard(page: Page, presses: int) -> int:
    """Answer every statement on the page: Tab into each radio group, arrow to the answer."""
    groups = page.locator("fieldset.question-fieldset").count()
    page.locator("main").focus()
    for _ in range(groups):
        # Tab lands on the group's first radio; each ArrowRight moves and selects.
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.type === 'radio'"):
                break
        assert page.evaluate(FOCUS_OUTLINE), "focus on a radio must be visible"
        page.keyboard.press("Space")
        for _ in range(presses):
            page.keyboard.press("ArrowRight")
    return groups


def fill_week_with_keyboard(page: Page, shares: list[int]) -> None:
    """The week's split: Tab to each share and type it."""
    page.locator("main").focus()
    for share in shares:
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.type === 'number'"):
                break
        assert page.evaluate(FOCUS_OUTLINE), "focus on a share must be visible"
        page.keyboard.press("Control+A")
        page.keyboard.type(str(share))


def questionnaire_total() -> int:
    """Everything a self-assessment asks: the statements, the week, each situation."""
    from roles.models import Question, Situation

    return Question.objects.filter(active=True).count() + 1 + Situation.objects.count()


def test_new_pm_signs_up_and_completes_the_questionnaire_with_the_keyboard(
    page: Page, live_server, loaded_catalog, screenshot, assert_accessible
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Take the assessment").click()
    page.get_by_label("Your name").fill("Kim Keyboard")
    page.get_by_label("Email address").fill("kim@example.com")
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill("a long and unusual passphrase")
    page.get_by_label("Password confirmation").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Take the assessment")
    assert_accessible("start")
    page.get_by_label(re.compile("Your current title")).select_option(
        label="Senior product manager (product management)"
    )
    screenshot("questionnaire-start")
    page.get_by_role("button", name="Start the assessment").click()

    answered = 0
    pages = 0
    while True:
        expect(page.locator("h1")).to_be_visible()
        pages += 1
        if pages == 1:
            assert_accessible("questionnaire page")
        if page.locator("input[type=number]").count():
            fill_week_with_keyboard(page, [30, 30, 20, 10, 10])
            answered += 1
            if not page.evaluate("() => document.querySelector('#week') !== null"):
                raise AssertionError("the week page has lost its question")
            screenshot("questionnaire-week")
        else:
            # Alternate "agree" and "strongly disagree" pages for a varied, honest result.
            answered += answer_page_with_keyboard(page, presses=3 if pages % 2 else 0)
            if page.locator(".situation-options").count():
                screenshot("questionnaire-situations")
        if pages == 1:
            screenshot("questionnaire-page")
            page.set_viewport_size({"width": 390, "height": 844})
            screenshot("questionnaire-page-phone")
            assert page.evaluate("() => document.documentElement.scrollWidth <= 390")
            page.set_viewport_size({"width": 1280, "height": 900})
        if page.get_by_role("button", name=re.compile("Review and submit")).count():
            tab_to(page, r"Review and submit")
            page.keyboard.press("Enter")
            break
        tab_to(page, r"^Next")
        page.keyboard.press("Enter")
        expect(page.get_by_text(f"{answered} of {questionnaire_total()} answered")).to_be_visible()

    assert answered == questionnaire_total()
    expect(page.get_by_role("heading", name="Review and submit")).to_be_visible()
    expect(page.get_by_text("You have answered every statement")).to_be_visible()
    assert_accessible("review")
    tab_to(page, r"^Submit$")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Where you sit today")
    assessment = Assessment.objects.get(subject__email="kim@example.com")
    assert assessment.status == "submitted"
    from assessments.reading import placement_summary
    from assessments.services import result_of

    expect(page.get_by_text(placement_summary(result_of(assessment)))).to_be_visible()
    assert_accessible("result")
    screenshot("result")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth <= 390")
    screenshot("result-phone")


def test_save_and_finish_later_resumes_on_the_same_answers(page: Page, live_server, loaded_catalog):
    from tests.conftest import PASSWORD, make_user

    make_user("resume@example.com", "Rae Resume")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("resume@example.com")
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/assessment/")
    page.get_by_label(re.compile("Your current title")).select_option(
        label="Product manager (product management)"
    )
    page.get_by_role("button", name="Start the assessment").click()
    first = page.locator("fieldset.question-fieldset").first
    first.locator("label:has(input[value='4'])").click()  # "Agree" or "Often"
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_text("Your answers are saved. Pick up")).to_be_visible()
    page.get_by_role("button", name="Continue the assessment").click()
    expect(page.get_by_text(f"1 of {questionnaire_total()} answered")).to_be_visible()
    expect(first.locator("input[value='4']")).to_be_checked()
