"""Django's ModelBackend, loading the signed-in person together with ``has_reports``."""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import Exists, OuterRef

from accounts.models import User


class ModelBackend(DjangoModelBackend):
    """Every signed-in page shows "My team" to people with current direct reports: answering
    that in the query that loads the person saves a query on every page."""

    def get_user(self, user_id):
        reports = User.objects.filter(manager=OuterRef("pk"), is_active=True)
        try:
            user = User._default_manager.annotate(has_reports=Exists(reports)).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
