"""URLs of the whole site."""

from django.contrib import admin
from django.urls import include, path

from .views import api, health, home, sessions

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/", include("tutor.accounts.urls")),
    path("teach/", include("lessons.urls")),
    path("api/sessions/", api.session_create, name="api_session_create"),
    path("lessons/<int:lesson_id>/start/", sessions.session_start, name="session_start"),
    path("sessions/<int:session_id>/live/", sessions.session_live, name="session_live"),
    path("sessions/<int:session_id>/", sessions.session_detail, name="session_detail"),
    path("healthz", health.health, name="health"),
    path("admin/", admin.site.urls),
]
