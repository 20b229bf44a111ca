"""The cast every access test needs, and the shipped catalog.

alice is a PM who reports to bob; charlie manages someone else (erin); dave is an outsider with
no manager and no reports; staff holds the permission to see everything.
"""

import pytest
from django.contrib.auth.models import Permission

from accounts.models import User
from roles.services import SHIPPED_CATALOG, catalog_import

PASSWORD = "correct horse battery staple"


@pytest.fixture
def catalog(db):
    """The shipped catalog, loaded through the same importer `make run` uses."""
    import json

    catalog_import(data=json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8")))


def make_user(email: str, name: str, **extra) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, name=name, **extra)


@pytest.fixture
def bob(db) -> User:
    return make_user("bob@example.com", "Bob Manager")


@pytest.fixture
def alice(bob) -> User:
    return make_user("alice@example.com", "Alice Product", manager=bob)


@pytest.fixture
def charlie(db) -> User:
    return make_user("charlie@example.com", "Charlie Othermanager")


@pytest.fixture
def erin(charlie) -> User:
    return make_user("erin@example.com", "Erin Report", manager=charlie)


@pytest.fixture
def dave(db) -> User:
    return make_user("dave@example.com", "Dave Outsider")


@pytest.fixture
def staff(db) -> User:
    user = make_user("staff@example.com", "Sam Staff", is_staff=True)
    perms = Permission.objects.filter(
        content_type__app_label__in=["roles", "accounts"]
    ) | Permission.objects.filter(codename="view_all_results")
    user.user_permissions.set(perms)
    return User.objects.get(pk=user.pk)  # fresh instance: no stale permission cache


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client signed in as that user (or anonymous for None)."""

    def sign_in(user: User | None):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttling counts live in the cache: every test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
