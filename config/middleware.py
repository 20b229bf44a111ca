"""Session lifetime: an idle timeout and an absolute timeout for signed-in sessions."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# Write "last seen" at most once a minute, so reading pages does not write on every request.
TOUCH_EVERY = 60


class SessionTimeoutMiddleware:
    """Sign a person out after SESSION_IDLE_TIMEOUT seconds without a request, or
    SESSION_ABSOLUTE_TIMEOUT seconds after signing in, whichever comes first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = int(time.time())
        session = request.session
        started = session.get(SIGNED_IN_AT)
        last = session.get(LAST_SEEN)
        if started is None or last is None:
            session[SIGNED_IN_AT] = started or now
            session[LAST_SEEN] = now
            return
        idle = now - last > settings.SESSION_IDLE_TIMEOUT
        expired = now - started > settings.SESSION_ABSOLUTE_TIMEOUT
        if idle or expired:
            logout(request)  # flushes the session on the server too
            messages.info(request, "You were signed out to keep your results safe. Sign in again.")
            return
        if now - last >= TOUCH_EVERY:
            session[LAST_SEEN] = now
