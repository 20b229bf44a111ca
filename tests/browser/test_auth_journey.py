"""A first journey in a real browser: sign up, sign out, sign in; home and sign-in pass axe."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def loaded_catalog(transactional_db):
    import json

    from roles.services import SHIPPED_CATALOG, catalog_import

    catalog_import(data=json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8")))


def test_sign_up_sign_out_and_sign_in_again(
    page: Page, live_server, loaded_catalog, screenshot, assert_accessible
):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("product career map")
    assert_accessible("home")
    screenshot("home")

    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Your name").fill("Robin Browser")
    page.get_by_label("Email address").fill("robin@example.com")
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill("a long and unusual passphrase")
    page.get_by_label("Password confirmation").fill("a long and unusual passphrase")
    screenshot("signup")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Welcome to Trajectory, Robin.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Robin Browser"))).to_be_visible()
    assert User.objects.filter(email="robin@example.com").exists()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    page.get_by_role("link", name="Sign in").click()
    assert_accessible("sign-in")
    page.get_by_label("Email address").fill("robin@example.com")
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill("wrong password!")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That email and password do not match an account")).to_be_visible()
    screenshot("signin-error")

    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill("a long and unusual passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name=re.compile("Robin Browser"))).to_be_visible()


def test_keyboard_user_can_skip_to_content(page: Page, live_server, loaded_catalog):
    page.goto(live_server.url + "/ladders/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    assert_box = skip.bounding_box()
    assert assert_box and assert_box["width"] > 0
