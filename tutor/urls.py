"""URLs of the whole site."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from .views import api, health, history, home, progress, reports, sessions

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/", include("tutor.accounts.urls")),
    path("teach/", include("lessons.urls")),
    path("api/sessions/", api.session_create, name="api_session_create"),
    path("lessons/<int:lesson_id>/start/", sessions.session_start, name="session_start"),
    path("sessions/", history.session_history, name="session_history"),
    path("sessions/<int:session_id>/live/", sessions.session_live, name="session_live"),
    path("sessions/<int:session_id>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/report.json", reports.session_report_json, name="session_report_json"),
    path("progress/", progress.progress_page, name="progress"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript_catalog"),
    path("healthz", health.health, name="health"),
    path("admin/", admin.site.urls),
]
