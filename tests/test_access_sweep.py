"""The access-control sweep: every URL of the project, requested by every kind of person.

The table below holds, for each named URL (enumerated from the resolver, so a new view cannot
escape), the request to make and the status each person must get, following the visibility
rules in the README ("Who sees what"). "login" means: redirected to sign in ("admin_login": to
the admin's sign-in, for staff-only admin pages outside the admin's namespace). A foreign object
is always a 404 that says nothing about it. A URL missing from the table fails the sweep.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, Plan
from tests import factories
from tests.conftest import make_user
from tests.test_guards import named_routes

pytestmark = pytest.mark.django_db

# Who asks, in the order they ask (the subject last: their POSTs change things).
ROLES = ("anonymous", "outsider", "former_manager", "manager", "staff", "subject")


@dataclass
class World:
    subject: object
    manager: object
    former_manager: object
    outsider: object
    staff: object
    shared: Assessment
    private: Assessment
    draft: Assessment
    by_manager: Assessment
    by_former: Assessment
    plan: Plan


def build_world() -> World:
    from django.contrib.auth.models import Permission

    manager = make_user("bob@example.com", "Bob Manager")
    former = make_user("charlie@example.com", "Charlie Formermanager")
    subject = make_user("alice@example.com", "Alice Subject", manager=former)
    by_former = factories.submitted(subject, factories.leaning(1, 1), assessor=former)
    subject.manager = manager  # she moved teams: charlie is now her former manager
    subject.save()
    outsider = make_user("dave@example.com", "Dave Outsider")
    staff = make_user("staff@example.com", "Sam Staff", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_all_results"))
    private = factories.submitted(subject, factories.leaning(-1, 1), shared=False)
    shared = factories.submitted(subject, factories.leaning(1, -1), shared=True)
    by_manager = factories.submitted(subject, factories.leaning(-1, -1), assessor=manager)
    draft = factories.draft_for(subject)
    return World(
        subject,
        manager,
        former,
        outsider,
        staff,
        shared,
        private,
        draft,
        by_manager,
        by_former,
        shared.plan,
    )


@dataclass(frozen=True)
class Case:
    method: str
    url: Callable[[World], str]
    expect: tuple  # one status (or "login") per role, in ROLES order
    data: Callable[[World], dict] = field(default=lambda w: {})


def r(name, *args):
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args])


OPEN = (200,) * 6
SIGNED_IN = ("login", 200, 200, 200, 200, 200)
SUBJECT_ONLY = ("login", 404, 404, 404, 404, 200)
STAFF_ONLY = ("admin_login", "admin_login", "admin_login", "admin_login", 200, "admin_login")
SIGN_IN_PAGES = {"login": "login", "admin_login": "admin:login"}  # expectation → URL name

CASES: dict[str, list[Case]] = {
    "home": [Case("get", r("home"), OPEN)],
    "about_scoring": [Case("get", r("about_scoring"), OPEN)],
    "signup": [Case("get", r("signup"), (200, 302, 302, 302, 302, 302))],
    "login": [Case("get", r("login"), (200, 302, 302, 302, 302, 302))],
    "logout": [Case("post", r("logout"), (302,) * 6)],
    "password_change": [Case("get", r("password_change"), SIGNED_IN)],
    "password_change_done": [Case("get", r("password_change_done"), SIGNED_IN)],
    "password_reset": [Case("get", r("password_reset"), OPEN)],
    "password_reset_done": [Case("get", r("password_reset_done"), OPEN)],
    "password_reset_confirm": [
        Case("get", r("password_reset_confirm", "MQ", "not-a-token"), OPEN),
    ],
    "password_reset_complete": [Case("get", r("password_reset_complete"), OPEN)],
    "account": [Case("get", r("account"), SIGNED_IN)],
    "account_export": [Case("get", r("account_export"), SIGNED_IN)],
    "account_delete": [Case("get", r("account_delete"), SIGNED_IN)],
    "roles:ladders": [Case("get", r("roles:ladders"), OPEN)],
    "roles:title": [
        Case("get", r("roles:title", "cpo"), OPEN),
        Case("get", r("roles:title", "no-such-title"), (404,) * 6),
    ],
    "assessments:start": [Case("get", r("assessments:start"), SIGNED_IN)],
    "assessments:page": [
        Case("get", r("assessments:page", lambda w: w.draft.pk, 1), SUBJECT_ONLY),
        Case(
            "post",
            r("assessments:page", lambda w: w.draft.pk, 1),
            ("login", 404, 404, 404, 404, 302),
            data=lambda w: {"q-backlog-delivery-1": "4"},
        ),
    ],
    "assessments:review": [
        Case("get", r("assessments:review", lambda w: w.draft.pk), SUBJECT_ONLY),
    ],
    "assessments:discard": [
        Case(
            "post",
            r("assessments:discard", lambda w: w.draft.pk),
            ("login", 404, 404, 404, 404, 302),
        ),
    ],
    "assessments:history": [Case("get", r("assessments:history"), SIGNED_IN)],
    "assessments:compare": [
        Case(
            "get",
            lambda w: f"{reverse('assessments:compare')}?a={w.private.pk}&b={w.shared.pk}",
            SUBJECT_ONLY,
        ),
    ],
    "assessments:result": [
        Case(
            "get",
            r("assessments:result", lambda w: w.shared.pk),
            ("login", 404, 404, 200, 200, 200),
        ),
        Case(
            "get",
            r("assessments:result", lambda w: w.private.pk),
            ("login", 404, 404, 404, 200, 200),
        ),
        Case(
            "get", r("assessments:result", lambda w: w.draft.pk), ("login", 404, 404, 404, 404, 404)
        ),
        Case(
            "get",
            r("assessments:result", lambda w: w.by_manager.pk),
            ("login", 404, 404, 200, 200, 200),
        ),
        Case(
            "get",
            r("assessments:result", lambda w: w.by_former.pk),
            ("login", 404, 404, 404, 200, 200),
        ),
    ],
    "assessments:sharing": [
        Case(
            "post",
            r("assessments:sharing", lambda w: w.shared.pk),
            ("login", 404, 404, 404, 404, 302),
            data=lambda w: {"shared": "no"},
        ),
    ],
    "assessments:plan": [
        Case("get", r("assessments:plan", lambda w: w.plan.pk), ("login", 404, 404, 404, 200, 200)),
    ],
    "assessments:plan_target": [
        Case(
            "post",
            r("assessments:plan_target", lambda w: w.plan.pk),
            ("login", 404, 404, 404, 404, 302),
            data=lambda w: {"target": "cpo"},
        ),
    ],
    "assessments:plan_item": [
        Case(
            "post",
            r("assessments:plan_item", lambda w: w.plan.pk),
            ("login", 404, 404, 404, 404, 302),
            data=lambda w: {
                "action": w.plan.items.first().action_code,
                "status": "done",
                "note": "Done it.",
            },
        ),
    ],
    "assessments:plan_markdown": [
        Case(
            "get",
            r("assessments:plan_markdown", lambda w: w.plan.pk),
            ("login", 404, 404, 404, 200, 200),
        ),
    ],
    "assessments:plan_ics": [
        Case(
            "get",
            r("assessments:plan_ics", lambda w: w.plan.pk),
            ("login", 404, 404, 404, 200, 200),
        ),
    ],
    "assessments:team": [Case("get", r("assessments:team"), ("login", 404, 404, 200, 404, 404))],
    "assessments:team_csv": [
        Case("get", r("assessments:team_csv"), ("login", 404, 404, 200, 404, 404)),
    ],
    "admin_item_analysis": [
        Case("get", r("admin_item_analysis"), STAFF_ONLY),
        Case("get", lambda w: reverse("admin_item_analysis") + "?format=csv", STAFF_ONLY),
    ],
    "assessments:report": [
        Case(
            "get",
            r("assessments:report", lambda w: w.subject.public_id),
            ("login", 404, 404, 200, 404, 404),
        ),
        Case(
            "get",
            r("assessments:report", lambda w: w.outsider.public_id),
            ("login", 404, 404, 404, 404, 404),
        ),
    ],
    "assessments:team_assess": [
        Case(
            "post",
            r("assessments:team_assess", lambda w: w.subject.public_id),
            ("login", 404, 404, 302, 404, 404),
        ),
    ],
    "assessments:manager_compare": [
        Case(
            "get",
            r("assessments:manager_compare", lambda w: w.by_manager.pk),
            ("login", 404, 404, 200, 200, 200),
        ),
        Case(
            "get",
            r("assessments:manager_compare", lambda w: w.by_former.pk),
            ("login", 404, 404, 404, 200, 200),
        ),
    ],
}


def test_every_url_of_the_project_has_an_entry_in_the_sweep():
    names = {name for name, _ in named_routes()}
    assert names - CASES.keys() == set(), "add these URLs to the access sweep"
    assert CASES.keys() - names == set(), "the sweep names URLs that no longer exist"


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_person_gets_what_the_visibility_table_says(name, catalog, caplog):
    world = build_world()
    for case in CASES[name]:
        url = case.url(world)
        for role, expected in zip(ROLES, case.expect, strict=True):
            client = Client()
            user = None if role == "anonymous" else getattr(world, role)
            if user is not None:
                client.force_login(user)
            caplog.clear()
            response = getattr(client, case.method)(url, case.data(world))
            where = f"{case.method.upper()} {url} as {role}"
            if expected in SIGN_IN_PAGES:
                assert response.status_code == 302, where
                assert response.url.startswith(reverse(SIGN_IN_PAGES[expected])), where
                continue
            assert response.status_code == expected, f"{where}: {response.status_code}"
            if response.status_code == 404:
                body = response.content.decode()
                if role != "subject":  # her own name is in her own navigation bar
                    assert "Alice" not in body and "alice@" not in body, f"{where} reveals her"
                assert role == "anonymous" or any(
                    rec.name == "trajectory.security" and url.split("?")[0] in rec.getMessage()
                    for rec in caplog.records
                ), f"{where}: a refused request must be logged"
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                csp = response["Content-Security-Policy"]
                assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, where
                assert response["X-Content-Type-Options"] == "nosniff", where


def test_post_only_endpoints_refuse_get_without_changing_anything(catalog):
    world = build_world()
    client = Client()
    client.force_login(world.subject)
    post_only = {
        "assessments:discard",
        "assessments:sharing",
        "assessments:plan_target",
        "assessments:plan_item",
        "assessments:team_assess",
    }
    for name in post_only:
        response = client.get(CASES[name][0].url(world))
        assert response.status_code == 405, name
    world.draft.refresh_from_db()
    world.shared.refresh_from_db()
    assert world.shared.shared_with_manager is True
    assert Assessment.objects.filter(pk=world.draft.pk).exists()
    assert not world.plan.items.filter(status="done").exists()


def test_denied_posts_change_nothing(catalog):
    world = build_world()
    for role in ("outsider", "former_manager", "manager", "staff"):
        client = Client()
        client.force_login(getattr(world, role))
        client.post(reverse("assessments:sharing", args=[world.shared.pk]), {"shared": "no"})
        client.post(reverse("assessments:discard", args=[world.draft.pk]))
        client.post(
            reverse("assessments:plan_item", args=[world.plan.pk]),
            {"action": world.plan.items.first().action_code, "status": "done", "note": "x"},
        )
    world.shared.refresh_from_db()
    assert world.shared.shared_with_manager is True
    assert Assessment.objects.filter(pk=world.draft.pk).exists()
    assert not world.plan.items.filter(status="done").exists()


def test_admin_pages_are_closed_to_everyone_but_staff(catalog, client):
    world = build_world()
    for role in ("outsider", "manager", "subject"):
        client.force_login(getattr(world, role))
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302 and "/admin/login/" in response.url
    client.force_login(world.staff)
    assert client.get(reverse("admin:index")).status_code == 200
