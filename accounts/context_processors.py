"""What every page needs to know of signing in: whether the school's provider is offered (and its name) and
whether local passwords are on."""

from django.conf import settings
from django.http import HttpRequest


def sign_in(request: HttpRequest) -> dict:
    return {
        "sign_in": {
            "school": settings.OIDC_ENABLED,
            "provider": settings.OIDC_PROVIDER_NAME,
            "passwords": settings.LOCAL_PASSWORDS,
        }
    }
