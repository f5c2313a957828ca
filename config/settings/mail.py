"""E-mail (password resets): the console under `make run`, else EMAIL_URL, in Django 6.1's MAILERS form."""

from .env import env

# django-environ parses EMAIL_URL (smtp+tls://user:pass@host:587) into the old EMAIL_* names.
_OPTION_NAMES = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
}


def mailers(*, debug: bool) -> dict:
    if debug or not env.str("EMAIL_URL", default=""):
        return {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    parsed = env.email_url("EMAIL_URL")
    options = {option: parsed[name] for name, option in _OPTION_NAMES.items() if parsed.get(name) not in (None, "")}
    return {"default": {"BACKEND": parsed["EMAIL_BACKEND"], "OPTIONS": options}}
