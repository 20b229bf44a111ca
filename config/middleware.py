"""Session lifetime (idle and absolute timeouts) and the log of refused requests."""

import logging
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


security_log = logging.getLogger("trajectory.security")


class DeniedAccessLogMiddleware:
    """Log every request a signed-in person was refused (403, or 404 from a scoped lookup).

    Views answer "not found" for other people's objects so that nothing is revealed; this log
    is where repeated guessing shows up. It records the person's id and the path, nothing else.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code in (403, 404) and user is not None and user.is_authenticated:
            security_log.warning(
                "access denied: user=%s method=%s path=%s status=%s",
                user.pk,
                request.method,
                request.path,
                response.status_code,
            )
        return response


class MalformedRequestMiddleware:
    """Refuse form posts that cannot be what a browser sent: a multipart body without its
    closing boundary (a truncated upload), or a form body that is not UTF-8. Nothing of such
    a request reaches a view, so nothing of it is written."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and (reason := self._problem(request)):
            security_log.warning("malformed request refused: path=%s (%s)", request.path, reason)
            from django.template.loader import render_to_string

            html = render_to_string("400.html", {"message": reason})
            return HttpResponse(html, status=400)
        return self.get_response(request)

    @staticmethod
    def _problem(request: HttpRequest) -> str | None:
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("multipart/form-data"):
            boundary = content_type.partition("boundary=")[2].strip().strip('"')
            if not boundary or not request.body.rstrip().endswith(f"--{boundary}--".encode()):
                return "The form arrived incomplete."
        elif content_type.startswith("application/x-www-form-urlencoded"):
            try:
                request.body.decode("utf-8")
            except UnicodeDecodeError:
                return "The form contained characters we could not read."
        return None
