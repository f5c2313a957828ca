from django.urls import include, path

from . import views

urlpatterns = [
    path("sign-up/", views.sign_up, name="sign_up"),
    path("join/", views.join_class, name="join_class"),
    path("join/<str:code>/", views.join_link, name="join_link"),
    path("", include("django.contrib.auth.urls")),
]
