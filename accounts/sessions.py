"""Django's database session store, reading a session and what every page needs in one query.

Every signed-in request starts by reading its session, then its person, then whether anyone
reports to them (the navigation) and the catalog's revision token (the catalog copy). On
PostgreSQL each of those is a round trip; here they are one plain query: the session row
(``accounts.Session`` keeps its person's id in a column), the person joined to it, a
reports-exist flag and the token. The person is handed to the authentication backend
(``accounts.backends``), the token to ``roles.catalog_cache``; each is used by this request
only. Writes, expiry and deletion are Django's own.
"""

from contextvars import ContextVar
from functools import cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from roles import catalog_cache

#: (person's id, the person) as this request's session read brought them; see take_user().
_loaded_user: ContextVar = ContextVar("session_user", default=None)


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        from accounts.models import Session

        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get("_auth_user_id"))
        except (TypeError, ValueError):
            session.user_id = None
        return session

    def _get_session_from_db(self):
        from accounts.models import User

        using = router.db_for_read(self.model)
        connection = connections[using]
        fields = User._meta.concrete_fields
        sql = _session_sql(using, connection.vendor)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [True, self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            _loaded_user.set(None)
            self._session_key = None
            return None
        data, token, has_reports, *values = row
        catalog_cache.seen(token)
        if values[0] is None:  # no person (signed out, or an anonymous session)
            _loaded_user.set(None)
        else:
            user = User.from_db(using, [f.attname for f in fields], values)
            user.__dict__["has_reports"] = bool(has_reports)  # the cached_property, filled
            _loaded_user.set((user.pk, user))
        return self.model(session_key=self.session_key, session_data=data)


@cache
def _session_sql(using: str, vendor: str) -> str:
    """The session read's SQL (worked out once per database)."""
    from accounts.models import Session, User, reports_exist_sql

    quote = connections[using].ops.quote_name
    columns = ", ".join(f"u.{quote(f.column)}" for f in User._meta.concrete_fields)
    return (
        f"SELECT s.session_data, ({catalog_cache.TOKEN_SQL}), "  # noqa: S608 (our tables)
        f"{reports_exist_sql('u.id')}, "
        f"{columns} FROM {quote(Session._meta.db_table)} s "
        f"LEFT JOIN {quote(User._meta.db_table)} u ON u.id = s.user_id "
        "WHERE s.session_key = %s AND s.expire_date > %s"
    )


def take_user(user_id):
    """The person this request's session read brought along, if they are ``user_id`` (once:
    a second call, or a call in a later request, reads them afresh)."""
    loaded = _loaded_user.get()
    _loaded_user.set(None)
    if loaded is None or str(loaded[0]) != str(user_id):
        return None
    return loaded[1]


def forget(**kwargs) -> None:
    """At the start and end of every request: nothing carries over to the next one."""
    _loaded_user.set(None)
