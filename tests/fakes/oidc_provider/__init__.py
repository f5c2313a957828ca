"""A real OpenID Connect provider for tests, in its own process on its own port: django-oauth-toolkit's OIDC
support (discovery, authorization code flow with PKCE, RS256 id_tokens, JWKS, userinfo, RP-initiated logout) with
a login form, users in a school's groups (teacher, student) and a switch that makes the token endpoint hand out an
id_token with a broken signature, as a compromised or misconfigured provider would. process.py starts it."""
