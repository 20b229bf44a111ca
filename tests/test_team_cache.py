"""The team page is drawn once per revision of the team (``User.team_revision``): every change
the page shows must move the revision, or a manager would read a stale page — worst of all, a
result the person has since stopped sharing. Each test draws the page, makes one kind of change
the way the app (or an admin) makes it, and reads the page again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.services import org_rows_parse, reporting_lines_import
from assessments import privacy, services
from roles.models import Role
from tests import factories
from tests.conftest import make_user

TEAM = reverse("assessments:team")


@pytest.fixture
def team(catalog, alice, bob, charlie):
    """bob manages alice (a shared result with a plan) and ivan (nothing yet)."""
    ivan = make_user("ivan@example.com", "Ivan Newcomer", manager=bob)
    result = factories.submitted(alice, shared=True)
    return {"alice": alice, "bob": bob, "charlie": charlie, "ivan": ivan, "result": result}


def page(client) -> str:
    response = client.get(TEAM)
    assert response.status_code == 200
    return response.content.decode()


def test_an_unchanged_team_is_served_as_drawn(client_for, team):
    client = client_for(team["bob"])
    first = page(client)
    with CaptureQueriesContext(connection) as again:
        second = page(client)
    assert "Alice Product" in first and "Alice Product" in second
    assert len(again) <= 1  # the session, with the person, has_reports and the catalog token


def test_a_new_shared_result_shows(client_for, team):
    client = client_for(team["bob"])
    ivan_row = 'team-state-not-taken">Not taken yet'
    assert ivan_row in page(client)
    factories.submitted(team["ivan"], shared=True)
    assert ivan_row not in page(client)


def test_a_result_no_longer_shared_disappears_at_once(client_for, team):
    client = client_for(team["bob"])
    result_url = reverse("assessments:result", args=[team["result"].pk])
    assert result_url in page(client)
    services.assessment_set_sharing(assessment=team["result"], shared=False)
    after = page(client)
    assert result_url not in after and "Not shared" in after


def test_plan_progress_shows(client_for, team):
    client = client_for(team["bob"])
    assert "0 of" in page(client)
    plan = team["result"].plan
    item = plan.items.order_by("order").first()
    services.plan_item_update(plan=plan, action_code=item.action_code, status="done")
    assert "1 of" in page(client)


def test_a_new_target_shows(client_for, team):
    client = client_for(team["bob"])
    page(client)
    services.plan_create(
        assessment=team["result"], target=Role.objects.get(slug="vp-product"), chosen=True
    )
    assert Role.objects.get(slug="vp-product").short_name in page(client)


def test_a_renamed_report_shows_renamed(client_for, team):
    client = client_for(team["bob"])
    page(client)
    alice = User.objects.get(pk=team["alice"].pk)
    alice.name = "Alice Renamed"
    alice.save()
    assert "Alice Renamed" in page(client)


@pytest.mark.parametrize("how", ["save", "queryset", "import"])
def test_a_report_who_moves_leaves_the_former_managers_page(client_for, team, how):
    bob, charlie = team["bob"], team["charlie"]
    client = client_for(bob)
    assert "Alice Product" in page(client)
    if how == "save":
        alice = User.objects.get(pk=team["alice"].pk)
        alice.manager = charlie
        alice.save()
    elif how == "queryset":
        User.objects.filter(pk=team["alice"].pk).update(manager=charlie)
    else:
        reporting_lines_import(
            rows=org_rows_parse(f"email,manager_email\n{team['alice'].email},{charlie.email}\n")
        )
    assert "Alice Product" not in page(client)
    assert "Alice Product" in page(client_for(charlie))


def test_a_deactivated_report_leaves(client_for, team):
    client = client_for(team["bob"])
    page(client)
    User.objects.filter(pk=team["alice"].pk).update(is_active=False)
    assert "Alice Product" not in page(client)


def test_a_deleted_account_leaves(client_for, team):
    client = client_for(team["bob"])
    page(client)
    privacy.account_delete(user=User.objects.get(pk=team["alice"].pk))
    assert "Alice Product" not in page(client)


def test_a_renamed_title_shows_on_the_map(client_for, team):
    client = client_for(team["bob"])
    page(client)
    role = Role.objects.get(slug="product-manager")
    role.short_name = "Renamed PM"
    role.save()
    assert "Renamed PM" in page(client)
