"""Django's database session store, keeping each session's person in a column of its own.

The documented way to extend the database store ("Extending database-backed session
engines"): ``accounts.Session`` adds a ``user`` column, filled here when a session is saved,
so deleting a person deletes their sessions with them. Reading, writing, expiry and deletion
are Django's own.
"""

from django.contrib.sessions.backends import db

from accounts.models import Session


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        return Session

    def create_model_instance(self, data):
        """The row Django saves, with the signed-in person's id (None when nobody is)."""
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get("_auth_user_id"))
        except (TypeError, ValueError):
            session.user_id = None
        return session
