"""URLs of the whole site."""

from django.contrib import admin
from django.urls import include, path

from .views import health, home

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/", include("tutor.accounts.urls")),
    path("healthz", health.health, name="health"),
    path("admin/", admin.site.urls),
]
