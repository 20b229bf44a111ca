"""Without Chromium the browser tests say how to get it; in CI a missing browser fails."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONE_BROWSER_TEST = "tests/browser/test_auth_journey.py::test_keyboard_user_can_skip_to_content"


def run_without_chromium(**extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "REQUIRE_BROWSER"}}
    env.update({"CHROMIUM": "/nonexistent/chromium", **extra})
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", ONE_BROWSER_TEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_browser_tests_are_skipped_with_install_advice_when_chromium_is_missing():
    result = run_without_chromium()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "apt-get install -y chromium" in result.stdout


def test_a_missing_chromium_fails_the_run_in_ci():
    for flag in ({"CI": "true"}, {"REQUIRE_BROWSER": "1"}):
        result = run_without_chromium(**flag)
        assert result.returncode != 0, flag
        assert "Chromium is required" in result.stdout + result.stderr
