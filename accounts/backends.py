"""Django's model backend, taking the person the session read already brought along."""

from django.contrib.auth import backends

from accounts import sessions


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        user = sessions.take_user(user_id)
        if user is None:
            return super().get_user(user_id)
        return user if self.user_can_authenticate(user) else None
