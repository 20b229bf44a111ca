"""Plan pages (the transition plan)."""

from django.urls import path

from assessments.views import plan_downloads, plans

urlpatterns = [
    path("plans/<uuid:pk>/", plans.plan_page, name="plan"),
    path("plans/<uuid:pk>/target/", plans.plan_target, name="plan_target"),
    path("plans/<uuid:pk>/items/", plans.plan_item, name="plan_item"),
    path("plans/<uuid:pk>/plan.md", plan_downloads.plan_markdown, name="plan_markdown"),
    path("plans/<uuid:pk>/plan.ics", plan_downloads.plan_ics, name="plan_ics"),
]
