from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from assessments.views import account as own_data_views
from assessments.views import item_analysis as item_analysis_views
from config import views

admin.site.site_header = "Trajectory administration"
admin.site.site_title = "Trajectory admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/scoring/", views.about_scoring, name="about_scoring"),
    path("accounts/", include("accounts.urls")),
    path("account/", account_views.account, name="account"),
    path("account/export/", own_data_views.export, name="account_export"),
    path("account/delete/", own_data_views.delete, name="account_delete"),
    path("ladders/", include("roles.urls")),
    path("", include("assessments.urls")),
    path("admin/item-analysis/", item_analysis_views.item_analysis, name="admin_item_analysis"),
    path("admin/", admin.site.urls),
]

handler500 = "config.views.server_error"
