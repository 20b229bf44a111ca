from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_init, post_save, pre_delete


def _remember_manager(sender, instance, **kwargs) -> None:
    instance._loaded_manager_id = instance.__dict__.get("manager_id")


def _person_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    """A person's row shows on their manager's team page (and, when the manager changed, it
    leaves the former manager's): move both team revisions."""
    from accounts.models import QUIET_FIELDS, team_changed

    if update_fields is not None and set(update_fields) <= QUIET_FIELDS:
        return
    team_changed(instance.manager_id, getattr(instance, "_loaded_manager_id", None))
    instance._loaded_manager_id = instance.manager_id


def _person_deleting(sender, instance, **kwargs) -> None:
    """Before the row goes (so a manager not loaded with it can still be read)."""
    from accounts.models import team_changed

    team_changed(getattr(instance, "_loaded_manager_id", None), instance.manager_id)


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "People"

    def ready(self) -> None:
        user = self.get_model("User")
        post_init.connect(_remember_manager, sender=user, dispatch_uid="team-remember-manager")
        post_save.connect(_person_saved, sender=user, dispatch_uid="team-person-saved")
        pre_delete.connect(_person_deleting, sender=user, dispatch_uid="team-person-deleting")
        # The person a request's session read brought along serves that request only.
        from accounts import sessions

        request_started.connect(sessions.forget, dispatch_uid="session-user-start")
        request_finished.connect(sessions.forget, dispatch_uid="session-user-finish")
