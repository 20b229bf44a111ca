from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from roles.models import (
    DevelopmentAction,
    Question,
    Responsibility,
    Role,
    Situation,
    Skill,
    SkillExpectation,
    SkillGroup,
    Track,
)
from roles.services import catalog_check


class VersionedForm(forms.ModelForm):
    """Refuses to save over a change someone else made after this form was opened."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # The admin saves inside one transaction: the row stays locked until it commits,
            # so two admins saving at the same moment cannot both pass this check.
            current = (
                type(self.instance)
                .objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if cleaned.get("seen_version") != current:
                raise forms.ValidationError(
                    "Someone else changed this %(thing)s after you opened it, so your changes "
                    "were not saved. Open it again to see their version, then make your "
                    "change.",
                    params={"thing": self.instance._meta.verbose_name},
                    code="stale",
                )
        return cleaned


class VersionedAdmin(admin.ModelAdmin):
    form = VersionedForm

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = form.cleaned_data["seen_version"] + 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk and inline_form.has_changed() and hasattr(instance, "version"):
                instance.version += 1
        super().save_formset(request, form, formset, change)


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "summary"]
    ordering = ["order"]


@admin.register(SkillGroup)
class SkillGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    ordering = ["order"]


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 1


class ExpectationInline(admin.TabularInline):
    model = SkillExpectation
    extra = 0
    autocomplete_fields = ["skill"]


@admin.register(Role)
class RoleAdmin(VersionedAdmin):
    list_display = ["name", "track", "level", "expected_strategic", "expected_leadership"]
    list_filter = ["track"]
    list_select_related = ["track"]
    search_fields = ["name", "short_name", "summary"]
    prepopulated_fields = {"slug": ["short_name"]}
    ordering = ["track__order", "level"]
    inlines = [ResponsibilityInline, ExpectationInline]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["code", "text", "pole", "key", "scale", "order", "active"]


class ActionInline(admin.StackedInline):
    model = DevelopmentAction
    extra = 0
    fields = [("code", "horizon", "track", "practice"), "title", "description"]


@admin.register(Skill)
class SkillAdmin(VersionedAdmin):
    list_display = ["name", "group", "order"]
    list_filter = ["group"]
    list_select_related = ["group"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["order"]
    inlines = [QuestionInline, ActionInline]
    change_list_template = "admin/roles/skill/change_list.html"

    def get_urls(self):
        urls = super().get_urls()
        check = path(
            "check/",
            self.admin_site.admin_view(self.catalog_check_view),
            name="roles_catalog_check",
        )
        return [check, *urls]

    def catalog_check_view(self, request: HttpRequest) -> HttpResponse:
        """Staff with view access to skills: every problem the catalog has."""
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Catalog check",
            "problems": catalog_check(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/roles/catalog_check.html", context)


@admin.register(Question)
class QuestionAdmin(VersionedAdmin):
    list_display = ["text", "skill", "pole", "key", "scale", "order", "active"]
    list_filter = ["active", "pole", "key", "scale", "skill__group", "skill"]
    list_select_related = ["skill"]
    list_editable = ["active"]
    search_fields = ["text", "code"]
    autocomplete_fields = ["skill"]
    ordering = ["order"]


@admin.register(DevelopmentAction)
class DevelopmentActionAdmin(VersionedAdmin):
    list_display = [
        "title",
        "skill",
        "kind",
        "role_kind",
        "levels",
        "horizon",
        "track",
        "practice",
    ]
    list_filter = ["kind", "role_kind", "horizon", "practice", "track", "skill"]
    list_select_related = ["skill", "track"]
    search_fields = ["title", "description", "code"]
    autocomplete_fields = ["skill"]
    ordering = ["skill__order", "horizon", "code"]
    fieldsets = [
        (None, {"fields": ["code", "skill", "kind", "title", "description", "seen_version"]}),
        (
            "Who it fits",
            {
                "fields": ["role_kind", ("min_level", "max_level"), "track"],
                "description": "Who can do it in their current role and at which level (1–6), "
                "and the ladder they are heading for. Someone without reports is never asked "
                "to hand work to a team they do not manage.",
            },
        ),
        ("In the plan", {"fields": ["horizon", "practice"]}),
    ]

    @admin.display(description="levels", ordering="min_level")
    def levels(self, action: DevelopmentAction) -> str:
        if action.min_level == action.max_level:
            return str(action.min_level)
        return f"{action.min_level}–{action.max_level}"


@admin.register(Situation)
class SituationAdmin(VersionedAdmin):
    list_display = ["text", "order", "active"]
    list_editable = ["active"]
    search_fields = ["text", "code", "direct", "coach", "support", "delegate"]
    ordering = ["order"]
