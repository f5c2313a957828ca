"""The provider's endpoints: each OIDC_OP_* setting an operator set, else its discovery document
(<issuer>/.well-known/openid-configuration), read once per issuer and checked to be that issuer's."""

import functools

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from mozilla_django_oidc.utils import import_from_settings

DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}


@functools.lru_cache(maxsize=8)
def provider_metadata(issuer: str) -> dict:
    response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    metadata = response.json()
    if metadata.get("issuer", "").rstrip("/") != issuer:
        raise ImproperlyConfigured(f"The discovery document of {issuer} names another issuer: {metadata.get('issuer')}")
    return metadata


def oidc_setting(attr: str, *default):
    """mozilla-django-oidc's settings lookup, with the provider's endpoints discovered when not set."""
    if attr in DISCOVERED and not getattr(settings, attr, ""):
        return provider_metadata(settings.OIDC_ISSUER).get(DISCOVERED[attr], *default or ("",))
    return import_from_settings(attr, *default)
