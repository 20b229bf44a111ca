"""Project-wide guards: no pending migrations, every page has exactly one <h1>."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Named routes that are not pages a person reads here. The item analysis is a staff-only admin
# page: this test's visitors are sent to Django's admin sign-in, which has no <h1> of its own
# (the page itself is checked as staff in tests/pages.py and tests/test_item_analysis.py).
NOT_PAGES = {"logout", "admin_item_analysis"}


def named_routes(resolver=None, namespace: str = ""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_routes(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern


def parameterless_pages() -> list[str]:
    return sorted(
        name
        for name, pattern in named_routes()
        if not pattern.converters
        and not getattr(pattern, "regex", None).groupindex
        and name not in NOT_PAGES
    )


def test_no_model_change_is_missing_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_parameterless_page_renders_with_one_h1(client, catalog, alice, bob, signed_in):
    if signed_in:
        client.force_login(bob)  # a manager: the team pages are open to him
    checked = 0
    for name in parameterless_pages():
        response = client.get(reverse(name), follow=True)
        assert response.status_code == 200, name
        if "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, f"{name} must have exactly one <h1>"
        checked += 1
    assert checked >= 5


def test_every_named_url_is_in_the_browser_sweep_or_declared_not_a_page():
    from tests.pages import NOT_PAGES, PAGES

    names = {name for name, _ in named_routes()}
    missing = names - PAGES.keys() - NOT_PAGES.keys()
    assert not missing, (
        f"add these to tests/pages.py (PAGES gets an axe and layout check in a real browser): "
        f"{sorted(missing)}"
    )
    assert not (PAGES.keys() & NOT_PAGES.keys())
    assert PAGES.keys() | NOT_PAGES.keys() <= names, "tests/pages.py names a URL that is gone"
