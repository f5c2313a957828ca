"""Routes of LTI (namespace "lti"): the tool's keys, the platform's login and launch, deep linking, the lesson a
launch lands on."""

from django.urls import path

from .views import deep_linking, launch, lessons

app_name = "lti"
urlpatterns = [
    path("jwks.json", launch.jwks, name="jwks"),
    path("login/", launch.LoginInitView.as_view(), name="login"),
    path("login/<uuid:registration_uuid>/", launch.LoginInitView.as_view(), name="login_registration"),
    path("launch/", launch.LaunchView.as_view(), name="launch"),
    path("deep-link/", deep_linking.deep_link, name="deep_link"),
    path("lessons/<int:lesson_id>/", lessons.lesson_start, name="lesson"),
]
