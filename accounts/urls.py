"""Log in, log out and passwords (Django's own views), and signing in with the school's provider (accounts/oidc/).
With local passwords switched off (LOCAL_PASSWORDS), every password page sends people to the school's sign-in
(signing up and joining a class: lessons/urls.py)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .access import local_passwords_required
from .oidc import views as oidc

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", oidc.SignOut.as_view(), name="logout"),
    path("oidc/start/", oidc.SignInStart.as_view(), name="oidc_start"),
    path("oidc/callback/", oidc.SignInCallback.as_view(), name="oidc_callback"),
    path(
        "password_change/",
        local_passwords_required(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password_change/done/",
        local_passwords_required(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("password_reset/", local_passwords_required(auth_views.PasswordResetView.as_view()), name="password_reset"),
    path(
        "password_reset/done/",
        local_passwords_required(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        local_passwords_required(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        local_passwords_required(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]
