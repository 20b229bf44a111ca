"""Every page, with the stylesheets and scripts it links, weighs under 100 KB gzipped.

Each page of tests/pages.py, and the questionnaire's week and situations pages (which share
the questionnaire page's URL name), is rendered by the test client for its usual visitor; its
HTML is gzipped, and so is every stylesheet and script it links (found on disk through the
staticfiles finders, as whitenoise would serve them pre-compressed). A browser downloads
each asset once and caches it, but a first visit pays for all of it, so all of it counts.
"""

import gzip
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from assessments.management.commands.seed_scale import MANAGER_EMAIL
from assessments.views.pages import pages_for
from roles.selectors import active_situations
from roles.services import SHIPPED_CATALOG, catalog_import
from tests.pages import PAGES as NAMED_PAGES
from tests.pages import Page, build_world

# The weights are taken in a module fixture; the mark has pytest-django set up the test
# database whichever of these tests run.
pytestmark = pytest.mark.django_db

BUDGET = 100 * 1024
LEVEL = 6  # what a proxy or GZipMiddleware typically uses; whitenoise's level 9 is smaller


def page_of_kind(draft, kind: str) -> str:
    """The address of a self-assessment's questionnaire page of this kind."""
    kinds = [page.kind for page in pages_for(draft, active_situations())]
    return reverse("assessments:page", args=[draft.pk, kinds.index(kind) + 1])


PAGES = {
    **NAMED_PAGES,
    "assessments:page, the week": Page("alice", lambda w: page_of_kind(w.draft, "week")),
    "assessments:page, the situations": Page(
        "alice", lambda w: page_of_kind(w.draft, "situations")
    ),
}

ASSET = re.compile(
    r"<link\b[^>]*\brel=\"stylesheet\"[^>]*\bhref=\"([^\"]+)\"|<script\b[^>]*\bsrc=\"([^\"]+)\"",
    re.IGNORECASE,
)


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=LEVEL))


def assets(html: str) -> list[str]:
    """The static paths of every stylesheet and script the page links (print ones included)."""
    found = []
    for match in ASSET.finditer(html):
        url = match.group(1) or match.group(2)
        assert url.startswith(settings.STATIC_URL) or url.startswith("/" + settings.STATIC_URL), (
            f"{url} is not a local static file"
        )
        found.append(url.split(settings.STATIC_URL, 1)[1].split("?")[0])
    return found


def asset_size(path: str) -> int:
    location = finders.find(path)
    assert location, f"linked {path} is not found by the staticfiles finders"
    return gzipped(Path(location).read_bytes())


@pytest.fixture(scope="module")
def weights(django_db_setup, django_db_blocker) -> dict[str, dict]:
    """Per page: its gzipped HTML, its assets and their gzipped sizes."""
    with django_db_blocker.unblock(), transaction.atomic():
        catalog_import(data=json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8")))
        world = build_world()
        found = {}
        for name, page in PAGES.items():
            client = Client()
            if page.viewer != "anonymous":
                client.force_login(getattr(world, page.viewer))
            response = client.get(page.url(world), follow=True)
            assert response.status_code == 200, f"{name} answered {response.status_code}"
            html = response.content.decode()
            found[name] = {
                "html": gzipped(response.content),
                "assets": {path: asset_size(path) for path in dict.fromkeys(assets(html))},
            }
        transaction.set_rollback(True)
    return found


# (Not "page": pytest-playwright claims that name for its browser page.)
@pytest.mark.parametrize("name", PAGES)
def test_page_with_its_css_and_js_is_under_100_kb_gzipped(weights, name):
    weight = weights[name]
    total = weight["html"] + sum(weight["assets"].values())
    parts = ", ".join(f"{p} {s / 1024:.1f} KB" for p, s in weight["assets"].items())
    assert total < BUDGET, (
        f"{name}: {total / 1024:.1f} KB gzipped (HTML {weight['html'] / 1024:.1f} KB; {parts})"
    )


def test_every_page_links_its_stylesheet_and_script(weights):
    """The weights above would be meaningless if the assets were not found in the pages."""
    for name, weight in weights.items():
        linked = set(weight["assets"])
        assert any(p.endswith(".css") for p in linked), f"{name} links no stylesheet"
        assert any(p.endswith(".js") for p in linked), f"{name} links no script"


def test_the_team_page_of_a_manager_with_1000_reports_is_under_100_kb_gzipped(db, client):
    call_command("seed_scale", reports=1000, assessments=1000, verbosity=0, stdout=StringIO())
    client.force_login(User.objects.get(email=MANAGER_EMAIL))
    response = client.get(reverse("assessments:team"))
    assert response.status_code == 200
    html = response.content.decode()
    total = gzipped(response.content) + sum(asset_size(p) for p in dict.fromkeys(assets(html)))
    assert total < BUDGET, f"team page with 1,000 reports: {total / 1024:.1f} KB gzipped"
