from django.urls import path

from roles import views

app_name = "roles"
urlpatterns = [
    path("", views.ladders, name="ladders"),
    path("<slug:slug>/", views.title_detail, name="title"),
]
