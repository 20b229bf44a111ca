"""The session read that brings the person, "has reports" and the catalog token along
(accounts.sessions, accounts.backends, roles.catalog_cache.seen)."""

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts import sessions
from accounts.models import Session
from accounts.sessions import SessionStore
from roles import catalog_cache
from roles.models import Question
from tests import factories
from tests.conftest import PASSWORD


def signed_in(user) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    client.get(reverse("about_scoring"))  # the first page after signing in writes the session
    return client


def test_the_session_row_names_its_person_and_signing_out_removes_it(alice):
    client = signed_in(alice)
    key = client.cookies["sessionid"].value
    assert Session.objects.get(session_key=key).user_id == alice.pk
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_an_anonymous_session_names_nobody(db):
    store = SessionStore()
    store["seen"] = True
    store.create()
    assert Session.objects.get(session_key=store.session_key).user_id is None


def test_a_questionnaire_page_reads_the_session_person_and_token_in_one_query(
    catalog, alice, django_assert_num_queries
):
    draft = factories.draft_for(alice)
    client = signed_in(alice)
    url = reverse("assessments:page", args=[draft.pk, 1])
    client.get(url)  # this process's catalog copy is loaded
    # The session with the person, "has reports" and the catalog token; the draft; its answers.
    with django_assert_num_queries(3) as queries:
        assert client.get(url).status_code == 200
    assert "accounts_session" in queries.captured_queries[0]["sql"]
    assert "token" in queries.captured_queries[0]["sql"]


def test_a_catalog_edit_between_two_requests_shows_on_the_second(catalog, alice):
    draft = factories.draft_for(alice)
    client = signed_in(alice)
    url = reverse("assessments:page", args=[draft.pk, 1])
    question = catalog_cache.current().by_group[catalog_cache.current().pages[0].pk][0]
    assert escape(question.text) in client.get(url).content.decode()
    Question.objects.filter(pk=question.pk).update(text="Reworded between two requests.")
    assert "Reworded between two requests." in client.get(url).content.decode()


def test_the_token_a_request_read_is_forgotten_when_it_ends(
    catalog, alice, django_assert_num_queries
):
    signed_in(alice).get(reverse("about_scoring"))
    with django_assert_num_queries(1):  # read afresh outside a request
        catalog_cache.token()


def test_the_person_brought_along_serves_only_the_matching_id_and_only_once(alice, bob):
    client = signed_in(alice)
    store = SessionStore(client.cookies["sessionid"].value)
    assert store[SESSION_KEY] == str(alice.pk)  # loads the session, bringing alice along
    assert sessions.take_user(bob.pk) is None  # someone else: not handed out (and dropped)
    store = SessionStore(client.cookies["sessionid"].value)
    store.load()
    taken = sessions.take_user(alice.pk)
    assert taken.pk == alice.pk and taken.has_reports is False
    assert sessions.take_user(alice.pk) is None  # once


def test_a_manager_brought_along_has_reports(alice, bob):
    store = SessionStore(signed_in(bob).cookies["sessionid"].value)
    store.load()
    assert sessions.take_user(bob.pk).has_reports is True


def test_a_deactivated_person_is_signed_out_on_their_next_request(alice):
    client = signed_in(alice)
    alice.is_active = False
    alice.save()
    response = client.get(reverse("assessments:start"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_changed_password_signs_out_other_sessions(alice):
    client = signed_in(alice)
    alice.set_password("another correct horse battery staple")
    alice.save()
    response = client.get(reverse("assessments:start"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_session_row_without_its_person_column_still_signs_in(alice):
    """Rows written before the column existed (or by hand) fall back to reading the person."""
    store = SessionStore()
    store.update(
        {
            SESSION_KEY: str(alice.pk),
            BACKEND_SESSION_KEY: "accounts.backends.ModelBackend",
            HASH_SESSION_KEY: alice.get_session_auth_hash(),
        }
    )
    store.create()
    Session.objects.filter(session_key=store.session_key).update(user=None)
    client = Client()
    client.cookies["sessionid"] = store.session_key
    assert client.get(reverse("assessments:start")).status_code == 200


def test_deleting_a_person_deletes_their_sessions(alice, bob):
    signed_in(alice)
    signed_in(bob)
    alice.delete()
    assert list(Session.objects.values_list("user_id", flat=True)) == [bob.pk]
