"""Catalog text entered by an admin is shown as inert text everywhere, and exports are safe."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from assessments.models import PlanItem
from roles.models import DevelopmentAction, Question, Role, Situation, Skill
from tests import factories

pytestmark = pytest.mark.django_db

PAYLOAD = (
    '<script>alert("x")</script> <img src=x onerror=alert(1)> <svg onload=alert(2)> '
    '<a href="javascript:alert(3)">link</a> &amp; \'quoted\' "double"'
)
RAW_MARKERS = ("<script>", "<img src=x", "<svg onload", 'href="javascript:')


@pytest.fixture
def hostile_catalog(catalog):
    """Every kind of catalog text a page shows carries the payload."""
    Skill.objects.filter(slug="mentoring-coaching").update(name="Mentoring " + PAYLOAD[:60])
    Question.objects.filter(skill__group__order=1).update(text=PAYLOAD)
    Question.objects.filter(skill__slug="mentoring-coaching").update(text=PAYLOAD)
    DevelopmentAction.objects.update(
        title="Act <script>x</script>; now, please", description=PAYLOAD
    )
    role = Role.objects.get(slug="director-of-pm")
    role.summary = PAYLOAD
    role.save()
    role.responsibilities.update(text=PAYLOAD)
    Situation.objects.update(
        text=PAYLOAD, **{style: f"{style.title()} {PAYLOAD}" for style in Situation.STYLES}
    )


def assert_inert(html: str, where: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in html, f"{where}: {marker!r} reached the page unescaped"


def test_catalog_text_is_inert_on_every_page_and_in_every_export(
    client, alice, bob, hostile_catalog
):
    done = factories.submitted(
        alice, factories.leaning(strategic=-1, leadership=-1), target="director-of-pm"
    )
    assert PlanItem.objects.filter(plan=done.plan).exists()
    draft = factories.draft_for(alice)
    client.force_login(alice)
    first_page = client.get(reverse("assessments:page", args=[draft.pk, 1]))
    last_page = len(first_page.context["pages"])  # a self-assessment ends with the situations
    pages = {
        "ladders": reverse("roles:ladders"),
        "title": reverse("roles:title", args=["director-of-pm"]),
        "questionnaire": reverse("assessments:page", args=[draft.pk, 1]),
        "situations": reverse("assessments:page", args=[draft.pk, last_page]),
        "result": reverse("assessments:result", args=[done.pk]),
        "plan": reverse("assessments:plan", args=[done.plan.pk]),
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        html = response.content.decode()
        assert_inert(html, where)
    # The payload is there, escaped, where the person reads it.
    questionnaire = client.get(pages["questionnaire"]).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in questionnaire
    assert "&amp;amp;" in questionnaire  # the literal "&amp;" typed by the admin, shown as typed
    situations = client.get(pages["situations"]).content.decode()
    assert "Delegate &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in situations

    markdown = client.get(reverse("assessments:plan_markdown", args=[done.plan.pk]))
    assert "Act <script>x</script>" in markdown.content.decode()  # plain text, not HTML
    assert markdown["Content-Type"].startswith("text/markdown")
    assert markdown["X-Content-Type-Options"] == "nosniff"

    ics = client.get(reverse("assessments:plan_ics", args=[done.plan.pk])).content.decode()
    assert ics.startswith("BEGIN:VCALENDAR")
    unfolded = ics.replace("\r\n ", "")
    # Plain text, with the calendar format's own escaping for ; and , (RFC 5545).
    assert "Act <script>x</script>\\; now\\, please" in unfolded

    export = json.loads(client.get(reverse("account_export")).content)
    assert export["assessments"][0]["answers"][0]["question"] == PAYLOAD

    client.force_login(bob)
    team = client.get(reverse("assessments:team")).content.decode()
    assert_inert(team, "team page")


def test_csv_cells_that_start_like_formulas_are_neutralised(client, bob, catalog):
    from tests.conftest import make_user

    for i, name in enumerate(('=HYPERLINK("http://evil")', "+1+2", "-3", "@SUM(A1)")):
        person = make_user(f"r{i}@example.com", name, manager=bob)
        factories.submitted(person)
    client.force_login(bob)
    response = client.get(reverse("assessments:team_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    names = {row[0] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil")' in names
    assert {"'+1+2", "'-3", "'@SUM(A1)"} <= names
    assert not any(cell[:1] in "=+-@" for row in rows[1:] for cell in row[:1])


ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 30 + "-production-headers-check-0123456789abcdef",
    "ALLOWED_HOSTS": "trajectory.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://trajectory.example.com",
}


def test_production_sends_hsts_and_secure_httponly_samesite_cookies(tmp_path):
    """Run a request through the production settings in a separate process."""
    script = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from django.test import Client
c = Client(HTTP_HOST="trajectory.example.com", HTTP_X_FORWARDED_PROTO="https")
r = c.get("/accounts/login/")
print("HSTS", r["Strict-Transport-Security"])
for name, morsel in r.cookies.items():
    print("COOKIE", name, bool(morsel["secure"]), bool(morsel["httponly"]), morsel["samesite"])
plain = Client(HTTP_HOST="trajectory.example.com").get("/")
print("REDIRECT", plain.status_code, plain.get("Location"))
"""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "DEBUG"}
    }
    env.update(PRODUCTION)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["SQLITE_PATH"] = str(tmp_path / "prod.sqlite3")
    env["STATIC_ROOT"] = str(tmp_path / "static")  # a fresh clone has not collected them yet
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    hsts = next(line for line in lines if line.startswith("HSTS"))
    max_age = int(hsts.split("max-age=")[1].split(";")[0])
    assert max_age >= 31536000
    cookies = [line.split() for line in lines if line.startswith("COOKIE")]
    assert cookies, result.stdout
    for _, name, secure, httponly, samesite in cookies:
        assert secure == "True", name
        assert httponly == "True", name
        assert samesite == "Lax", name
    assert "REDIRECT 301 https://trajectory.example.com/" in result.stdout
