"""Queries per page do not grow with the data, and stay within budget.

Every page is loaded at two data sizes, a small team and then the same team grown tenfold
(3 → 30 reports, 1 → 8 past results, 1 → 3 manager assessments, a draft with a third of its
first page answered → all of it, its week and its situations), and must run the same number of
queries at both, at most QUERY_BUDGET. Each client makes one request before counting: the
first request after signing in writes the session, which later requests do not.

The world is built once for the module, in a transaction rolled back at the end, so all the
pages cost one build.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments import services
from assessments.models import Assessment, Plan
from assessments.views.pages import pages_for
from roles.models import Role
from roles.selectors import active_situations
from roles.services import SHIPPED_CATALOG, catalog_import
from tests import factories
from tests.conftest import make_user

# The counts are taken in a module fixture; the mark has pytest-django set up the test
# database even when this module runs on its own.
pytestmark = pytest.mark.django_db

QUERY_BUDGET = 12


@dataclass
class World:
    alice: User  # a PM with past results, a plan and a draft; she reports to bob
    bob: User  # her manager, who assessed her
    newest: Assessment
    older: Assessment
    draft: Assessment
    by_bob: Assessment


@dataclass(frozen=True)
class Page:
    viewer: str | None  # "alice", "bob" or None (anonymous)
    url: Callable[[World], str]


PAGES: dict[str, Page] = {
    "home": Page(None, lambda w: reverse("home")),
    "home, signed in": Page("bob", lambda w: reverse("home")),
    "ladders": Page(None, lambda w: reverse("roles:ladders")),
    "title": Page(None, lambda w: reverse("roles:title", args=["director-of-pm"])),
    "start": Page("alice", lambda w: reverse("assessments:start")),
    "questionnaire page": Page(
        "alice", lambda w: reverse("assessments:page", args=[w.draft.pk, 1])
    ),
    "questionnaire, the week": Page("alice", lambda w: page_of_kind(w.draft, "week")),
    "questionnaire, the situations": Page("alice", lambda w: page_of_kind(w.draft, "situations")),
    "review": Page("alice", lambda w: reverse("assessments:review", args=[w.draft.pk])),
    "result": Page("alice", lambda w: reverse("assessments:result", args=[w.newest.pk])),
    "result, seen by the manager": Page(
        "bob", lambda w: reverse("assessments:result", args=[w.newest.pk])
    ),
    "history": Page("alice", lambda w: reverse("assessments:history")),
    "compare": Page(
        "alice", lambda w: f"{reverse('assessments:compare')}?a={w.older.pk}&b={w.newest.pk}"
    ),
    "plan": Page("alice", lambda w: reverse("assessments:plan", args=[w.newest.plan.pk])),
    "team": Page("bob", lambda w: reverse("assessments:team")),
    "report": Page("bob", lambda w: reverse("assessments:report", args=[w.alice.public_id])),
    "manager comparison": Page(
        "bob", lambda w: reverse("assessments:manager_compare", args=[w.by_bob.pk])
    ),
    "manager comparison, seen by the report": Page(
        "alice", lambda w: reverse("assessments:manager_compare", args=[w.by_bob.pk])
    ),
    "account": Page("alice", lambda w: reverse("account")),
}

STRATEGIC_IC = factories.leaning(1, -1)
TACTICAL_IC = factories.leaning(-1, -1)
LEADER = factories.leaning(1, 1)


def page_of_kind(draft: Assessment, kind: str) -> str:
    """The address of a self-assessment's questionnaire page of this kind."""
    kinds = [page.kind for page in pages_for(draft, active_situations())]
    return reverse("assessments:page", args=[draft.pk, kinds.index(kind) + 1])


def backdate(assessment: Assessment, days: int) -> None:
    """Move a result (and its plan) into the past, behind the ones the pages show."""
    when = timezone.now() - timedelta(days=days)
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=when)
    Plan.objects.filter(assessment=assessment).update(created_at=when)


def add_reports(bob: User, start: int, count: int) -> None:
    """Reports in every state the team page shows: shared, kept private, not taken yet."""
    for n in range(start, start + count):
        person = make_user(f"report{n}@example.com", f"Report {n}", manager=bob)
        if n % 10 == 8:
            continue  # not taken yet
        result = factories.submitted(person, STRATEGIC_IC if n % 2 else LEADER, shared=n % 10 != 9)
        backdate(result, days=n)


def answer_first_page(draft: Assessment, share: float) -> None:
    questions = [q for q in services.active_questions() if q.skill.group.order == 1]
    chosen = questions[: max(1, round(len(questions) * share))]
    services.answers_save(assessment=draft, values={q.code: 4 for q in chosen})


def build_small() -> World:
    bob = make_user(
        "bob@example.com", "Bob Manager", current_title=Role.objects.get(slug="director-of-pm")
    )
    alice = make_user(
        "alice@example.com",
        "Alice Product",
        manager=bob,
        current_title=Role.objects.get(slug="senior-pm"),
    )
    older = factories.submitted(alice, TACTICAL_IC, target="director-of-pm")
    backdate(older, days=60)
    newest = factories.submitted(alice, STRATEGIC_IC, target="director-of-pm")
    by_bob = factories.submitted(alice, LEADER, assessor=bob)
    draft = factories.draft_for(alice)
    answer_first_page(draft, share=1 / 3)
    add_reports(bob, start=1, count=2)  # alice and two more: 3 reports
    return World(alice, bob, Assessment.objects.get(pk=newest.pk), older, draft, by_bob)


def grow(world: World) -> None:
    """Ten times the team, eight past results, three manager assessments, a fuller draft."""
    add_reports(world.bob, start=3, count=27)  # 30 reports
    world.draft.delete()  # a person has one draft: results are submitted from it
    for n in range(7):  # 1 → 8 results before the newest one
        past = factories.submitted(world.alice, TACTICAL_IC if n % 2 else STRATEGIC_IC)
        backdate(past, days=90 + 30 * n)
    for n in range(2):
        earlier = factories.submitted(world.alice, TACTICAL_IC, assessor=world.bob)
        Assessment.objects.filter(pk=earlier.pk).update(
            submitted_at=timezone.now() - timedelta(days=200 + n)
        )
    world.draft = factories.draft_for(world.alice)
    answer_first_page(world.draft, share=1)
    services.week_save(assessment=world.draft, split=factories.EVEN_WEEK)
    choices = {s.code: "support" for s in active_situations()}
    services.styles_save(assessment=world.draft, choices=choices)


def count_queries(world: World) -> dict[str, int]:
    clients: dict[str | None, Client] = {}
    for viewer in ("alice", "bob", None):
        client = Client()
        if viewer:
            client.force_login(getattr(world, viewer))
        client.get(reverse("home"))  # the first request after sign-in writes the session
        clients[viewer] = client
    counts = {}
    for name, page in PAGES.items():
        client, url = clients[page.viewer], page.url(world)
        response = client.get(url)  # warm: process-wide caches (content types, templates)
        assert response.status_code == 200, f"{name}: {url} answered {response.status_code}"
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts[name] = len(queries)
    return counts


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker) -> dict[str, tuple[int, int]]:
    """Queries per page at the small size and then the grown size: {page: (small, large)}."""
    with django_db_blocker.unblock(), transaction.atomic():
        catalog_import(data=json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8")))
        world = build_small()
        small = count_queries(world)
        grow(world)
        assert world.bob.reports.count() == 30
        large = count_queries(world)
        transaction.set_rollback(True)
    return {name: (small[name], large[name]) for name in PAGES}


# (Not "page": pytest-playwright claims that name for its browser page.)
@pytest.mark.parametrize("name", PAGES)
def test_queries_do_not_grow_with_the_data(counts, name):
    small, large = counts[name]
    assert small == large, f"{name}: {small} queries with the small team, {large} with the large"


@pytest.mark.parametrize("name", list(PAGES))
def test_queries_stay_within_budget(counts, name):
    small, large = counts[name]
    assert max(small, large) <= QUERY_BUDGET, f"{name}: {max(small, large)} queries"
