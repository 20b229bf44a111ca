from django.urls import include, path

from assessments.views import pages, questionnaire, results

app_name = "assessments"
urlpatterns = [
    path("assessment/", questionnaire.start, name="start"),
    path("assessment/<uuid:pk>/page/<int:number>/", pages.page, name="page"),
    path("assessment/<uuid:pk>/review/", questionnaire.review, name="review"),
    path("assessment/<uuid:pk>/discard/", questionnaire.discard, name="discard"),
    path("results/", results.history, name="history"),
    path("results/compare/", results.compare, name="compare"),
    path("results/<uuid:pk>/", results.result, name="result"),
    path("results/<uuid:pk>/sharing/", results.sharing, name="sharing"),
    path("", include("assessments.urls_plans")),
    path("", include("assessments.urls_team")),
]
