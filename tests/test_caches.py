"""What the speed-ups keep true: the cached catalog follows every kind of catalog write, the
Python access rules agree with the querysets they mirror, and drawn result and plan bodies
change whenever what they show changes."""

import itertools
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from assessments import fragments, privacy, services
from assessments.models import Assessment, PlanItem
from roles import catalog_cache
from roles.models import CatalogRevision, Question, Role, SkillGroup
from tests import factories
from tests.conftest import make_user

# --- the catalog copy ----------------------------------------------------------------------


def test_a_current_copy_costs_one_query(catalog):
    services.catalog()
    with CaptureQueriesContext(connection) as captured:
        again = services.catalog()
    assert len(captured) == 1
    assert again is services.catalog()
    assert len(again.questions) == Question.objects.filter(active=True).count()


def _question_text(code: str) -> str:
    return next(q.text for q in services.catalog().questions if q.code == code)


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda q: (setattr(q, "text", "Reworded."), q.save()), id="save"),
        pytest.param(
            lambda q: Question.objects.filter(pk=q.pk).update(text="Reworded."), id="update"
        ),
        pytest.param(
            lambda q: Question.objects.bulk_update(
                [setattr(q, "text", "Reworded.") or q], ["text"]
            ),
            id="bulk_update",
        ),
    ],
)
def test_every_kind_of_write_reaches_the_next_read(catalog, write):
    question = Question.objects.filter(active=True).first()
    assert _question_text(question.code) == question.text
    write(question)
    assert _question_text(question.code) == "Reworded."


def test_deleting_and_adding_questions_reaches_the_next_read(catalog):
    before = len(services.catalog().questions)
    question = Question.objects.filter(active=True).last()
    question.delete()
    assert len(services.catalog().questions) == before - 1
    Question.objects.bulk_create(
        [Question(code="new-one", text="New.", skill=question.skill, order=999)]
    )
    assert services.catalog().questions[-1].code == "new-one"


def test_another_servers_write_is_seen_through_the_token(catalog):
    """Another process changes the catalog: this one only sees the token move."""
    services.catalog()
    group = SkillGroup.objects.order_by("order").first()
    with connection.cursor() as cursor:  # behind the ORM's back, as another server would be
        cursor.execute(
            f"UPDATE {SkillGroup._meta.db_table} SET name = 'Renamed' WHERE id = %s",  # noqa: S608
            [group.pk],
        )
    assert services.catalog().pages[0].name == group.name  # same token: the old copy
    CatalogRevision.objects.filter(pk=1).update(token="another-servers-token")
    assert services.catalog().pages[0].name == "Renamed"


def test_a_rolled_back_edit_leaves_no_trace_in_the_copy(catalog):
    question = Question.objects.filter(active=True).first()
    services.catalog()
    with pytest.raises(RuntimeError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(text="Never committed.")
        assert _question_text(question.code) == "Never committed."
        raise RuntimeError
    assert _question_text(question.code) == question.text


def test_without_a_revision_row_nothing_is_cached(catalog):
    CatalogRevision.objects.all().delete()
    first, second = services.catalog(), services.catalog()
    assert first is not second
    Role.objects.filter(slug="product-manager").update(short_name="PM!")  # recreates the row
    assert CatalogRevision.objects.count() == 1
    assert any(r.short_name == "PM!" for r in services.catalog().roles)


def test_an_edit_in_the_admin_reaches_new_assessments(catalog, client, staff):
    question = Question.objects.filter(active=True).order_by("order", "code").first()
    alice = make_user("reader@example.com", "Reader")
    draft = factories.draft_for(alice)
    client.force_login(alice)
    url = reverse("assessments:page", args=[draft.pk, 1])
    assert escape(question.text) in client.get(url).content.decode()
    question.text = "A freshly reworded statement."
    question.save()
    assert "A freshly reworded statement." in client.get(url).content.decode()


# --- the access rules, in Python and in SQL --------------------------------------------------


@pytest.fixture
def everyone(catalog, alice, bob, charlie, erin, dave, staff):
    """Assessments of every kind and state between the cast, plus a non-staff user holding
    the view-all permission (who must not see everything: the rule is for staff)."""
    holder = make_user("holder@example.com", "Perm Holder")
    holder.user_permissions.add(Permission.objects.get(codename="view_all_results"))
    holder = User.objects.get(pk=holder.pk)
    factories.submitted(alice, shared=True)
    factories.submitted(alice, shared=False)
    factories.draft_for(alice)
    factories.submitted(erin, shared=True)
    factories.draft_for(erin, assessor=charlie)
    factories.submitted(alice, assessor=bob)
    factories.draft_for(dave)
    people = [alice, bob, charlie, erin, dave, staff, holder]
    return people, list(Assessment.objects.select_related("subject"))


def test_is_visible_to_agrees_with_visible_to_for_every_pair(everyone):
    people, assessments = everyone
    for person, a in itertools.product(people, assessments):
        in_sql = Assessment.objects.visible_to(person).filter(pk=a.pk).exists()
        assert a.is_visible_to(person) == in_sql, (person.email, a.kind, a.status)


def test_is_editable_by_agrees_with_editable_by_for_every_pair(everyone):
    people, assessments = everyone
    for person, a in itertools.product(people, assessments):
        in_sql = Assessment.objects.editable_by(person).filter(pk=a.pk).exists()
        assert a.is_editable_by(person) == in_sql, (person.email, a.kind, a.status)


def test_the_view_all_permission_without_staff_status_shows_nothing_extra(everyone, client):
    people, assessments = everyone
    holder = people[-1]
    client.force_login(holder)
    someone_elses = next(a for a in assessments if a.is_submitted)
    assert client.get(reverse("assessments:result", args=[someone_elses.pk])).status_code == 404


def test_after_a_move_the_former_manager_loses_the_rule_at_once(catalog, alice, bob, dave):
    result = factories.submitted(alice, shared=True)
    assert result.is_visible_to(bob)
    alice.manager = dave
    alice.save()
    fresh = Assessment.objects.select_related("subject").get(pk=result.pk)
    assert not fresh.is_visible_to(bob) and fresh.is_visible_to(dave)


# --- drawn bodies ---------------------------------------------------------------------------


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_result_body_is_drawn_once_with_its_trail(catalog, alice, client):
    factories.submitted(alice)
    client.force_login(alice)
    second = factories.submitted(alice)
    url = reverse("assessments:result", args=[second.pk])
    fragments.results.clear()
    page = client.get(url).content.decode()
    assert len(fragments.results) == 1 and 'class="trail-line"' in page
    again = client.get(url).content.decode()
    assert without_tokens(again) == without_tokens(page)  # the same page from the drawn body
    factories.submitted(alice)  # a later result is not part of this one's trail
    assert without_tokens(client.get(url).content.decode()) == without_tokens(page)


def test_the_body_differs_by_viewer(catalog, alice, bob, client):
    result = factories.submitted(alice, shared=True)
    url = reverse("assessments:result", args=[result.pk])
    client.force_login(alice)
    mine = client.get(url).content.decode()
    client.force_login(bob)
    theirs = client.get(url).content.decode()
    assert "Why you are here" in mine
    assert "Why Alice is here" in theirs and "Why you are here" not in theirs


def test_a_plan_body_follows_every_change(catalog, alice, client):
    result = factories.submitted(alice)
    plan = result.plan
    item = plan.items.order_by("order").first()
    client.force_login(alice)
    url = reverse("assessments:plan", args=[plan.pk])
    client.get(url)
    client.post(
        reverse("assessments:plan_item", args=[plan.pk]),
        {"action": item.action_code, "status": "done", "note": "Booked the first session."},
    )
    page = client.get(url).content.decode()
    assert "Booked the first session." in page
    assert PlanItem.objects.get(pk=item.pk).status == "done"
    assert 'value="done" checked' in page


def test_a_drawn_plan_carries_a_working_csrf_token_for_each_visitor(catalog, alice):
    plan = factories.submitted(alice).plan
    item = plan.items.order_by("order").first()
    url = reverse("assessments:plan", args=[plan.pk])
    for visit in range(2):  # the first visit draws the body, the second reuses it
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(alice)
        page = browser.get(url).content.decode()
        assert "<!-- csrf field -->" not in page
        form = page[page.index(f'value="{item.action_code}"') - 400 :]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        status = "done" if visit else "doing"
        response = browser.post(
            reverse("assessments:plan_item", args=[plan.pk]),
            {"csrfmiddlewaretoken": token, "action": item.action_code, "status": status},
        )
        assert response.status_code == 302
        assert PlanItem.objects.get(pk=item.pk).status == status


def test_deleting_an_account_forgets_its_drawn_bodies(
    catalog, alice, client, django_capture_on_commit_callbacks
):
    result = factories.submitted(alice)
    client.force_login(alice)
    client.get(reverse("assessments:result", args=[result.pk]))
    client.get(reverse("assessments:plan", args=[result.plan.pk]))
    assert len(fragments.results) and len(fragments.plans)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.account_delete(user=alice)
    assert not [k for k in fragments.results._entries if k[0] == result.pk]
    assert not [k for k in fragments.plans._entries if k[0] == result.plan.pk]


def test_bodies_expire(monkeypatch):
    cache = fragments.FragmentCache(max_entries=2, max_age=10)
    now = [1000.0]
    monkeypatch.setattr(fragments.time, "monotonic", lambda: now[0])
    assert cache.get_or_render(("a",), lambda: "one") == "one"
    assert cache.get_or_render(("a",), lambda: "two") == "one"
    now[0] += 11
    assert cache.get_or_render(("a",), lambda: "three") == "three"
    cache.get_or_render(("b",), lambda: "b")
    cache.get_or_render(("c",), lambda: "c")
    assert len(cache) == 2 and ("a",) not in cache._entries  # the oldest went first


def test_the_catalog_module_reads_its_token_from_the_database(catalog):
    assert catalog_cache.token() == CatalogRevision.objects.get(pk=1).token


# --- the signed-in person and "has reports" ----------------------------------------------------


@pytest.mark.parametrize("who, shows_team", [("bob", True), ("dave", False), ("erin", False)])
def test_the_team_link_follows_has_reports_in_one_query(
    catalog, alice, bob, dave, erin, client, who, shows_team, django_assert_num_queries
):
    person = {"bob": bob, "dave": dave, "erin": erin}[who]
    response = client.post(
        reverse("login"), {"username": person.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    client.get(reverse("about_scoring"))  # the first page after signing in writes the session
    # The session, the person and whether they manage anyone, in one query (accounts.sessions).
    with django_assert_num_queries(1):
        page = client.get(reverse("about_scoring")).content.decode()
    assert (reverse("assessments:team") in page) is shows_team


def test_a_manager_whose_last_report_leaves_loses_the_team_link(catalog, alice, bob, client):
    client.post(
        reverse("login"), {"username": bob.email, "password": "correct horse battery staple"}
    )
    assert reverse("assessments:team") in client.get(reverse("about_scoring")).content.decode()
    alice.is_active = False
    alice.save()
    assert reverse("assessments:team") not in client.get(reverse("about_scoring")).content.decode()
