"""Sign-in and password-reset throttling helpers."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The account a sign-in attempt is for, case-folded, so ALICE@ and alice@ share a lock."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()


def password_reset_allowed(email: str) -> bool:
    """Count a reset request for this address; False once the limit for the window is hit.

    The same answer whether or not the address has an account, so it reveals nothing.
    """
    key = f"password-reset:{email.strip().lower()}"
    cache.add(key, 0, timeout=settings.PASSWORD_RESET_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=settings.PASSWORD_RESET_WINDOW)
        count = 1
    return count <= settings.PASSWORD_RESET_LIMIT
