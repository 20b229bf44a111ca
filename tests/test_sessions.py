"""Sessions: Django's database store, with each session's person in a column of its own
(accounts.sessions, accounts.Session)."""

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Session
from accounts.sessions import SessionStore
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


def test_a_session_row_decodes_through_its_model(alice):
    """Session.get_decoded() (the admin, the shell) finds the store by the engine's name."""
    key = signed_in(alice).cookies["sessionid"].value
    assert Session.objects.get(session_key=key).get_decoded()[SESSION_KEY] == str(alice.pk)


def test_a_catalog_edit_between_two_requests_shows_on_the_second(catalog, alice):
    draft = factories.draft_for(alice)
    client = signed_in(alice)
    url = reverse("assessments:page", args=[draft.pk, 1])
    first = client.get(url).content.decode()
    question = next(q for q in Question.objects.all() if escape(q.text) in first)
    Question.objects.filter(pk=question.pk).update(text="Reworded between two requests.")
    assert "Reworded between two requests." in client.get(url).content.decode()


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
    """Rows written before the column existed (or by hand): the person comes from the data."""
    store = SessionStore()
    store.update(
        {
            SESSION_KEY: str(alice.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
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
