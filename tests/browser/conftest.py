"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Playwright's sync API runs an event loop in the test thread, so Django's async-safety check
must be relaxed here (and only here, never in settings).
"""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def chromium_path() -> str | None:
    """Debian's Chromium, or the browser named by $CHROMIUM (which then must exist)."""
    if named := os.environ.get("CHROMIUM"):
        return named if Path(named).exists() else None
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if not browser_items or chromium_path():
        return
    if os.environ.get("CI") == "true" or os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(
            "Chromium is required (CI=true or REQUIRE_BROWSER=1) but was not found: "
            "install it with `apt-get install -y chromium`."
        )
    skip = pytest.mark.skip(
        reason="Chromium not found: install it with `apt-get install -y chromium` "
        "to run the browser tests."
    )
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def screenshot(page):
    """screenshot(name) saves a full-page PNG under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def assert_accessible(page):
    """Run axe-core on the current page; fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(label: str = "") -> None:
        results = axe.run(page)
        bad = [
            v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
        ]
        details = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"][:3])
            for v in bad
        )
        assert not bad, f"axe found serious/critical violations on {label or page.url}:\n{details}"

    return check
