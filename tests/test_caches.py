"""What is kept and what is read fresh: a submitted result's drawn body is kept (it cannot
change) and served only past the access check, for the right eyes and trail; everything that
can change (the catalog, a plan, who manages whom) shows its change on the next request; and
the Python access rules agree with the querysets they mirror."""

import itertools
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from accounts.services import account_delete
from assessments import services
from assessments.models import Assessment
from assessments.views import results
from roles.models import Question
from tests import factories
from tests.conftest import make_user

BODY_TEMPLATE = "assessments/includes/_result_body.html"
QUERY_BUDGET = 12  # per page (tests/test_query_budgets.py)

# --- catalog edits show on the next read ----------------------------------------------------


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


def test_a_rolled_back_edit_leaves_no_trace(catalog):
    question = Question.objects.filter(active=True).first()
    services.catalog()
    with pytest.raises(RuntimeError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(text="Never committed.")
        assert _question_text(question.code) == "Never committed."
        raise RuntimeError
    assert _question_text(question.code) == question.text


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


# --- a result's kept body ------------------------------------------------------------------


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def drew_the_body(response) -> bool:
    return BODY_TEMPLATE in [t.name for t in response.templates]


def test_a_result_page_served_twice_shows_the_same_body(catalog, alice, client):
    factories.submitted(alice)
    second = factories.submitted(alice)
    client.force_login(alice)
    url = reverse("assessments:result", args=[second.pk])
    first_visit = client.get(url)
    page = first_visit.content.decode()
    assert drew_the_body(first_visit) and 'class="trail-line"' in page
    again = client.get(url)
    assert not drew_the_body(again)  # served as drawn
    assert without_tokens(again.content.decode()) == without_tokens(page)
    factories.submitted(alice)  # a later result is not part of this one's trail
    assert without_tokens(client.get(url).content.decode()) == without_tokens(page)


def test_an_earlier_result_deleted_by_an_admin_leaves_the_trail(catalog, alice, client):
    earlier = factories.submitted(alice)
    latest = factories.submitted(alice)
    client.force_login(alice)
    url = reverse("assessments:result", args=[latest.pk])
    assert 'class="trail-line"' in client.get(url).content.decode()
    Assessment.objects.filter(pk=earlier.pk).delete()
    page = client.get(url).content.decode()
    assert 'class="trail-line"' not in page and "Earlier:" not in page


def test_the_body_differs_by_viewer(catalog, alice, bob, client):
    result = factories.submitted(alice, shared=True)
    url = reverse("assessments:result", args=[result.pk])
    client.force_login(alice)
    mine = client.get(url).content.decode()
    client.force_login(bob)
    theirs = client.get(url).content.decode()
    assert "Why you are here" in mine
    assert "Why Alice is here" in theirs and "Why you are here" not in theirs


def test_the_subjects_new_name_shows_in_the_body_at_once(catalog, alice, bob, client):
    result = factories.submitted(alice, shared=True)
    url = reverse("assessments:result", args=[result.pk])
    client.force_login(bob)
    assert "Why Alice is here" in client.get(url).content.decode()
    User.objects.filter(pk=alice.pk).update(name="Alicia Product")
    page = client.get(url).content.decode()
    assert "Why Alicia is here" in page and "Why Alice is here" not in page


def test_a_new_body_version_draws_the_body_afresh(catalog, alice, client, monkeypatch):
    result = factories.submitted(alice)
    client.force_login(alice)
    url = reverse("assessments:result", args=[result.pk])
    page = client.get(url).content.decode()
    assert not drew_the_body(client.get(url))
    monkeypatch.setattr(results, "BODY_VERSION", results.BODY_VERSION + 1)
    redrawn = client.get(url)
    assert drew_the_body(redrawn)
    assert without_tokens(redrawn.content.decode()) == without_tokens(page)


def test_a_kept_body_is_served_only_past_the_access_check(catalog, alice, bob, staff, client):
    result = factories.submitted(alice, shared=True)
    url = reverse("assessments:result", args=[result.pk])
    client.force_login(bob)
    assert client.get(url).status_code == 200  # drawn and kept for a manager's eyes
    services.assessment_set_sharing(assessment=result, shared=False)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200
    account_delete(user=alice)
    assert client.get(url).status_code == 404


# --- the signed-in person and "has reports" ----------------------------------------------------


@pytest.mark.parametrize("who, shows_team", [("bob", True), ("dave", False), ("erin", False)])
def test_the_team_link_follows_has_reports(
    catalog, alice, bob, dave, erin, client, who, shows_team, django_assert_max_num_queries
):
    person = {"bob": bob, "dave": dave, "erin": erin}[who]
    response = client.post(
        reverse("login"), {"username": person.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    client.get(reverse("about_scoring"))  # the first page after signing in writes the session
    with django_assert_max_num_queries(QUERY_BUDGET):
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
