"""How people sign in (docs/deploy.md, "Signing in with the school's accounts"): the school's OpenID Connect
provider when OIDC_ISSUER is set (mozilla-django-oidc, accounts/oidc/), local passwords unless switched off, and
the sign-ins of learning platforms' launches (lti/), which never check a password."""

from .env import env

# The provider: its issuer (its endpoints are read from <issuer>/.well-known/openid-configuration unless given),
# this site's client id and secret there, and the name the login page gives it.
OIDC_ISSUER: str = env.str("OIDC_ISSUER", default="").rstrip("/")
OIDC_RP_CLIENT_ID: str = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET: str = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_PROVIDER_NAME: str = env.str("OIDC_PROVIDER_NAME", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT: str = env.str("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT: str = env.str("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT: str = env.str("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT: str = env.str("OIDC_JWKS_ENDPOINT", default="")
OIDC_OP_LOGOUT_ENDPOINT: str = env.str("OIDC_END_SESSION_ENDPOINT", default="")
# Who is a teacher: the claim that says it, and the values that mean teacher (anyone else is a student).
OIDC_ROLE_CLAIM: str = env.str("OIDC_ROLE_CLAIM", default="role")
OIDC_TEACHER_VALUES: list[str] = env.list("OIDC_TEACHER_VALUES", default=["teacher"])
# Which e-mail domains may sign in (empty: any the provider vouches for).
OIDC_ALLOWED_DOMAINS: list[str] = [d.lower().lstrip("@") for d in env.list("OIDC_ALLOWED_DOMAINS", default=[])]
OIDC_ENABLED: bool = bool(OIDC_ISSUER and OIDC_RP_CLIENT_ID)

# mozilla-django-oidc's own switches, as this site uses it.
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGORITHM", default="RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # for the provider's logout (id_token_hint)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
OIDC_TIMEOUT = 15
OIDC_CREATE_USER = True
ALLOW_LOGOUT_GET_METHOD = False

# Local passwords: off, the login page offers only the provider and no password is checked or set.
LOCAL_PASSWORDS: bool = env.bool("LOCAL_PASSWORDS", default=True)

AUTHENTICATION_BACKENDS = [
    *(["accounts.oidc.backend.SchoolSignIn"] if OIDC_ENABLED else []),
    *(["django.contrib.auth.backends.ModelBackend"] if LOCAL_PASSWORDS else []),
    "accounts.backends.SignedInElsewhere",
]
