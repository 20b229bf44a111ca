"""Every page a person can reach, in Chromium at phone and desktop widths.

Each page: axe finds no serious or critical violation, nothing scrolls sideways, and a
screenshot is written to test-artifacts/screenshots/pages/ at both widths.
"""

import json

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS
from tests.pages import PAGES, build_world

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture
def world(transactional_db):
    from roles.services import SHIPPED_CATALOG, catalog_import

    catalog_import(data=json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8")))
    return build_world()


def sign_in_as(page: Page, live_server, user) -> None:
    """Put a real session cookie for this user into the browser (the login form has its own
    journey test; here it would only slow every page down)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_is_accessible_and_fits_phone_and_desktop(
    name, page: Page, live_server, world, assert_accessible
):
    spec = PAGES[name]
    if spec.viewer != "anonymous":
        sign_in_as(page, live_server, getattr(world, spec.viewer))
    folder = SCREENSHOTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(live_server.url + spec.url(world))
        assert response.status == 200, f"{name}: {response.status}"
        expect(page.locator("h1")).to_have_count(1)
        assert_accessible(f"{name} at {width}px")
        assert no_sideways_scroll(page), f"{name} scrolls sideways at {width}px"
        page.screenshot(path=str(folder / f"{name.replace(':', '-')}-{label}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS.values())
def test_the_404_page_is_accessible(page: Page, live_server, world, assert_accessible, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(live_server.url + "/no/such/page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    assert_accessible("404")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "pages" / f"404-{width}.png"), full_page=True)


def test_the_403_page_is_accessible(page: Page, live_server, world, assert_accessible):
    sign_in_as(page, live_server, world.alice)
    page.goto(live_server.url + "/account/")
    # A form posted without its security token: what a stale or forged form gets.
    with page.expect_navigation():
        page.evaluate(
            """() => { const f = document.createElement('form'); f.method = 'post';
            f.action = '/account/'; document.body.appendChild(f); f.submit(); }"""
        )
    expect(page.get_by_role("heading", level=1)).to_have_text("Please try that again")
    assert_accessible("403")
    page.screenshot(path=str(SCREENSHOTS / "pages" / "403.png"), full_page=True)


@pytest.mark.parametrize("name", ["assessments:result", "assessments:plan"])
def test_results_and_plan_print_cleanly(name, page: Page, live_server, world):
    sign_in_as(page, live_server, world.alice)
    page.goto(live_server.url + PAGES[name].url(world))
    on_screen_tables = page.locator("main table tr").count()
    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.locator("footer.site-footer")).to_be_hidden()
    expect(page.locator("main h1")).to_be_visible()
    # Content is complete: every table row is still there and visible in print.
    rows = page.locator("main table tr")
    assert rows.count() == on_screen_tables
    for i in range(rows.count()):
        expect(rows.nth(i)).to_be_visible()
    page.screenshot(
        path=str(SCREENSHOTS / "pages" / f"{name.replace(':', '-')}-print.png"), full_page=True
    )
