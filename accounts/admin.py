from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["email", "name", "manager", "current_title", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    list_select_related = ["manager", "current_title"]
    search_fields = ["email", "name"]
    ordering = ["email"]
    autocomplete_fields = ["manager"]
    readonly_fields = ["public_id", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password", "public_id")}),
        ("Profile", {"fields": ("name", "current_title", "manager")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )

    def log_deletions(self, request, queryset):
        """Record that people were deleted, without recording who: no name, no email."""
        from django.contrib.admin.models import DELETION, LogEntry
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(User)
        return [
            LogEntry.objects.create(
                user_id=request.user.pk,
                content_type=content_type,
                object_id="",
                object_repr="a deleted person",
                action_flag=DELETION,
            )
            for _ in queryset
        ]

    def delete_model(self, request, obj):
        from accounts.services import account_delete

        account_delete(user=obj)

    def delete_queryset(self, request, queryset):
        from accounts.services import account_delete

        for user in queryset:
            account_delete(user=user)

    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),
    )
