from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_migrate, post_save


def _catalog_written(sender, **kwargs) -> None:
    from roles import catalog_cache

    catalog_cache.changed()


def _catalog_migrated(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from roles import catalog_cache

    if "roles_catalogrevision" in connections[using].introspection.table_names():
        catalog_cache.changed()


class RolesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "roles"
    verbose_name = "Role catalog"

    def ready(self) -> None:
        # Migrations write with historical models, which send no signals: after them, the
        # catalog counts as changed.
        post_migrate.connect(_catalog_migrated, sender=self, dispatch_uid="catalog-migrated")
        # A token read with a request's session serves that request only.
        from roles import catalog_cache

        request_started.connect(catalog_cache.forget, dispatch_uid="catalog-token-start")
        request_finished.connect(catalog_cache.forget, dispatch_uid="catalog-token-finish")
        # Every save and delete of a catalog row marks the catalog changed (bulk writes do it
        # in roles.models.CatalogQuerySet), so cached copies are reloaded.
        for model in self.get_models():
            if model.__name__ != "CatalogRevision":
                post_save.connect(_catalog_written, sender=model, dispatch_uid=f"catalog-{model}")
                post_delete.connect(
                    _catalog_written, sender=model, dispatch_uid=f"catalog-del-{model}"
                )
