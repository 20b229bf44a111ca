"""Every page of the site, who looks at it, and how to build its URL.

The browser sweep (tests/browser/test_every_page.py) visits each entry at phone and desktop
widths and runs axe on it; tests/test_guards.py fails when a named URL is in neither table,
so a new page cannot ship without an accessibility check.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from assessments.models import Assessment
from tests import factories
from tests.conftest import make_user


@dataclass
class World:
    alice: User
    bob: User
    staff: User
    older: Assessment
    newer: Assessment
    draft: Assessment
    by_bob: Assessment


def build_world() -> World:
    """A PM (alice) with two results, a plan and a draft; her manager (bob) who assessed her."""
    from roles.models import Role

    bob = make_user(
        "bob@example.com", "Bob Manager", current_title=Role.objects.get(slug="director-of-pm")
    )
    alice = make_user(
        "alice@example.com",
        "Alice Product",
        manager=bob,
        current_title=Role.objects.get(slug="senior-pm"),
    )
    make_user("carol@example.com", "Carol Notyet", manager=bob)
    staff = make_user("staff@example.com", "Sam Staff", is_staff=True, is_superuser=True)
    older = factories.submitted(alice, factories.leaning(-1, -1), target="director-of-pm")
    newer = factories.submitted(alice, factories.leaning(1, -1), target="director-of-pm")
    draft = factories.draft_for(alice)
    by_bob = factories.submitted(alice, factories.leaning(1, 1), assessor=bob)
    return World(alice, bob, staff, older, newer, draft, by_bob)


@dataclass(frozen=True)
class Page:
    viewer: str  # "anonymous" or a World attribute holding a user
    url: Callable[[World], str]


def _reset_link(w: World) -> str:
    uid = urlsafe_base64_encode(force_bytes(w.alice.pk))
    token = default_token_generator.make_token(w.alice)
    return reverse("password_reset_confirm", args=[uid, token])


PAGES: dict[str, Page] = {
    "home": Page("anonymous", lambda w: reverse("home")),
    "about_scoring": Page("anonymous", lambda w: reverse("about_scoring")),
    "signup": Page("anonymous", lambda w: reverse("signup")),
    "login": Page("anonymous", lambda w: reverse("login")),
    "password_reset": Page("anonymous", lambda w: reverse("password_reset")),
    "password_reset_done": Page("anonymous", lambda w: reverse("password_reset_done")),
    "password_reset_confirm": Page("anonymous", _reset_link),
    "password_reset_complete": Page("anonymous", lambda w: reverse("password_reset_complete")),
    "password_change": Page("alice", lambda w: reverse("password_change")),
    "password_change_done": Page("alice", lambda w: reverse("password_change_done")),
    "account": Page("alice", lambda w: reverse("account")),
    "account_delete": Page("alice", lambda w: reverse("account_delete")),
    "roles:ladders": Page("anonymous", lambda w: reverse("roles:ladders")),
    "roles:title": Page("anonymous", lambda w: reverse("roles:title", args=["director-of-pm"])),
    "assessments:start": Page("alice", lambda w: reverse("assessments:start")),
    "assessments:page": Page("alice", lambda w: reverse("assessments:page", args=[w.draft.pk, 1])),
    "assessments:review": Page("alice", lambda w: reverse("assessments:review", args=[w.draft.pk])),
    "assessments:history": Page("alice", lambda w: reverse("assessments:history")),
    "assessments:compare": Page(
        "alice", lambda w: f"{reverse('assessments:compare')}?a={w.older.pk}&b={w.newer.pk}"
    ),
    "assessments:result": Page("alice", lambda w: reverse("assessments:result", args=[w.newer.pk])),
    "assessments:plan": Page(
        "alice", lambda w: reverse("assessments:plan", args=[w.newer.plan.pk])
    ),
    "assessments:team": Page("bob", lambda w: reverse("assessments:team")),
    "assessments:report": Page(
        "bob", lambda w: reverse("assessments:report", args=[w.alice.public_id])
    ),
    "assessments:manager_compare": Page(
        "alice", lambda w: reverse("assessments:manager_compare", args=[w.by_bob.pk])
    ),
    "admin_item_analysis": Page("staff", lambda w: reverse("admin_item_analysis")),
}

# Named URLs that are not pages to read: POST-only actions, file downloads, sign-out.
NOT_PAGES = {
    "logout": "POST only: signs out",
    "account_export": "JSON download",
    "assessments:discard": "POST only",
    "assessments:sharing": "POST only",
    "assessments:plan_target": "POST only",
    "assessments:plan_item": "POST only",
    "assessments:plan_markdown": "Markdown download",
    "assessments:plan_ics": "calendar download",
    "assessments:team_csv": "CSV download",
    "assessments:team_assess": "POST only",
}
