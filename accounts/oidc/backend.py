"""The authentication backend for the school's provider: mozilla-django-oidc's code flow (state, nonce, PKCE,
the id_token's signature against the provider's JWKS), plus what it leaves to us: the issuer and audience of the
id_token, the allowed e-mail domains, and the first sign-in's account with its role from the provider's claim."""

import hashlib

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ..models import Role, User
from ..services import user_create
from .discovery import oidc_setting
from .refusals import SignInRefused


def role_from(claims: dict) -> str:
    """Teacher when the role claim (a string or a list) holds one of OIDC_TEACHER_VALUES, else student."""
    value = claims.get(settings.OIDC_ROLE_CLAIM)
    values = value if isinstance(value, list) else [value]
    teachers = {v.lower() for v in settings.OIDC_TEACHER_VALUES}
    return Role.TEACHER if any(str(v).lower() in teachers for v in values if v) else Role.STUDENT


class SchoolSignIn(OIDCAuthenticationBackend):
    get_settings = staticmethod(oidc_setting)

    def verify_token(self, token: str, **kwargs) -> dict:
        payload = super().verify_token(token, **kwargs)
        # mozilla-django-oidc checks the signature, expiry and nonce, but not whom the token is from and for.
        audiences = payload.get("aud")
        audiences = audiences if isinstance(audiences, list) else [audiences]
        if payload.get("iss", "").rstrip("/") != settings.OIDC_ISSUER or settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SignInRefused("token")
        self.id_claims = payload
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict) -> dict:
        """The id_token's claims, completed by the userinfo endpoint's when the provider has one."""
        userinfo = super().get_userinfo(access_token, id_token, payload) if self.OIDC_OP_USER_ENDPOINT else {}
        return {**payload, **userinfo}

    def verify_claims(self, claims: dict) -> bool:
        email = (claims.get("email") or "").strip().lower()
        if not email or claims.get("email_verified") is False:
            raise SignInRefused("email")
        if settings.OIDC_ALLOWED_DOMAINS and email.rpartition("@")[2] not in settings.OIDC_ALLOWED_DOMAINS:
            raise SignInRefused("domain")
        return True

    def filter_users_by_claims(self, claims: dict):
        users = User.objects.filter(email__iexact=claims["email"].strip())
        if users and not any(user.is_active for user in users):
            raise SignInRefused("inactive")
        return users

    def create_user(self, claims: dict) -> User:
        email = claims["email"].strip().lower()
        username = email[:150]
        if User.objects.filter(username__iexact=username).exists():
            username = f"{email[:135]}-{hashlib.sha256(claims['sub'].encode()).hexdigest()[:8]}"
        return user_create(
            username=username,
            password=None,
            email=email,
            role=role_from(claims),
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
            native_language=(claims.get("locale") or "en")[:16],
        )
