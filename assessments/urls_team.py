"""Team pages (manager review): the team, one report, assessing a report, self vs manager."""

from django.urls import path

from assessments.views import team, team_export

urlpatterns = [
    path("team/", team.team, name="team"),
    path("team/export.csv", team_export.team_csv, name="team_csv"),
    path("team/<uuid:public_id>/", team.report, name="report"),
    path("team/<uuid:public_id>/assess/", team.team_assess, name="team_assess"),
    path("results/<uuid:pk>/comparison/", team.manager_compare, name="manager_compare"),
]
