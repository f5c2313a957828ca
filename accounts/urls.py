"""Log in, log out and passwords: Django's own views (signing up and joining a class: lessons/urls.py)."""

from django.urls import include, path

urlpatterns = [
    path("", include("django.contrib.auth.urls")),
]
