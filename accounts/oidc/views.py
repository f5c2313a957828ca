"""The school's sign-in pages: the start (a redirect to the provider), the callback (the provider's answer, checked,
or refused with a page that says why), and signing out of the site and, when it offers one, of the provider."""

from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView, OIDCLogoutView

from .discovery import oidc_setting
from .refusals import REASONS, SignInRefused


def refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request,
        "registration/sign_in_refused.html",
        {"reason": REASONS[reason], "code": reason, "provider": settings.OIDC_PROVIDER_NAME},
        status=403,
    )


class SignInStart(OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs) -> None:
        # The parent reads the provider's endpoint here; we read it in get(), where an unreachable provider can be
        # answered with a page instead of an error.
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except requests.RequestException:
            return refused(request, "unreachable")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class SignInCallback(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        state = request.GET.get("state", "")
        states = request.session.get("oidc_states") or {}
        if request.GET.get("error"):
            if state in states:
                del states[state]
                request.session.save()
            return refused(request, "cancelled")
        if state not in states:
            return refused(request, "state")  # never started here, or its answer already used (a replay)
        try:
            return super().get(request)
        except SignInRefused as exc:
            return refused(request, exc.reason)
        except (SuspiciousOperation, jwt.InvalidTokenError):
            return refused(request, "token")
        except requests.RequestException:
            return refused(request, "unreachable")

    def login_failure(self) -> HttpResponse:
        return refused(self.request, "failed")


def provider_logout_url(request: HttpRequest) -> str:
    """Where signing out sends the browser: the provider's end-session endpoint when it has one and this person
    signed in through it (RP-initiated logout), so the school's session ends too; else the site's home."""
    home = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    id_token = request.session.get("oidc_id_token")
    if not (settings.OIDC_ENABLED and id_token):
        return home
    try:
        endpoint = oidc_setting("OIDC_OP_LOGOUT_ENDPOINT")
    except requests.RequestException:
        return home
    if not endpoint:
        return home
    query = {"id_token_hint": id_token, "post_logout_redirect_uri": home, "client_id": settings.OIDC_RP_CLIENT_ID}
    return f"{endpoint}?{urlencode(query)}"


class SignOut(OIDCLogoutView):
    """POST only (the header's form, with its CSRF token): out of the site, and of the provider when signed in there."""

    get_settings = staticmethod(oidc_setting)

    def post(self, request: HttpRequest) -> HttpResponse:
        target = provider_logout_url(request)
        auth.logout(request)
        return HttpResponseRedirect(target)
