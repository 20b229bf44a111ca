"""Sign up, sign in, sign out, password change and reset, with the bad input each must survive."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Pat Newcomer",
    "email": "Pat@Example.com",
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
}


def test_sign_up_creates_the_account_and_signs_in(client):
    response = client.post(reverse("signup"), GOOD)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "pat@example.com"
    assert user.name == "Pat Newcomer"
    assert user.check_password(GOOD["password1"])
    assert client.get(reverse("home")).context["user"] == user


def test_sign_up_with_a_taken_email_says_so_and_creates_nothing(client, alice):
    response = client.post(reverse("signup"), {**GOOD, "email": "ALICE@example.com"})
    assert response.status_code == 200
    assert "An account with this email already exists" in response.content.decode()
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1
    assert User.objects.count() == 2  # alice and her manager, nobody new


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short"),
        ("password123", "This password is too common"),
        ("8472910365142", "This password is entirely numeric"),
    ],
)
def test_sign_up_with_a_weak_password_says_why_and_creates_nothing(client, password, message):
    response = client.post(
        reverse("signup"), {**GOOD, "password1": password, "password2": password}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_with_mismatched_passwords_creates_nothing(client):
    response = client.post(reverse("signup"), {**GOOD, "password2": "something else entirely"})
    assert "didn’t match" in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_ignores_privilege_fields(client):
    client.post(reverse("signup"), {**GOOD, "is_staff": "on", "is_superuser": "on"})
    user = User.objects.get()
    assert not user.is_staff and not user.is_superuser


def test_sign_in_with_a_wrong_password_shows_a_clear_message(client, alice):
    response = client.post(reverse("login"), {"username": alice.email, "password": "nope nope"})
    assert response.status_code == 200
    assert "That email and password do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_is_case_insensitive_on_email(client, alice):
    response = client.post(
        reverse("login"), {"username": "ALICE@EXAMPLE.COM", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_sign_out_needs_a_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_requires_the_old_password(client, alice):
    client.force_login(alice)
    url = reverse("password_change")
    response = client.post(
        url,
        {
            "old_password": "wrong old password",
            "new_password1": "another long passphrase",
            "new_password2": "another long passphrase",
        },
    )
    assert "Your old password was entered incorrectly" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "another long passphrase",
            "new_password2": "another long passphrase",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another long passphrase")


def test_password_reset_sends_a_working_link(client, alice):
    response = client.post(reverse("password_reset"), {"email": alice.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {
            "new_password1": "brand new passphrase here",
            "new_password2": "brand new passphrase here",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand new passphrase here")


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_account_page_needs_sign_in(client):
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_account_page_shows_the_manager_read_only(client, alice, catalog):
    client.force_login(alice)
    response = client.get(reverse("account"))
    assert "Bob Manager" in response.content.decode()
    client.post(reverse("account"), {"name": "Alice P.", "current_title": "", "manager": ""})
    alice.refresh_from_db()
    assert alice.name == "Alice P."
    assert alice.manager.email == "bob@example.com"


def test_user_cannot_be_their_own_manager(alice):
    from django.db import IntegrityError, transaction

    alice.manager = alice
    with pytest.raises(IntegrityError), transaction.atomic():
        alice.save()


def test_has_reports_counts_active_reports_only(alice, bob):
    assert User.objects.get(pk=bob.pk).has_reports is True
    assert User.objects.get(pk=alice.pk).has_reports is False
    alice.is_active = False
    alice.save()
    assert User.objects.get(pk=bob.pk).has_reports is False
