"""Signing in with the school's accounts: OpenID Connect through mozilla-django-oidc, configured by
config/settings/sign_in.py. The provider's endpoints come from its discovery document; the first sign-in creates
the account with the role the provider's claim gives; refusals are answered with a page that says why."""
