"""LTI 1.3 (docs/lti.md): launched from learning platforms registered in the admin (django-lti's models)."""

from .env import env

# How often a score is tried again when the platform's gradebook does not take it (with exponential backoff).
LTI_GRADE_MAX_RETRIES: int = env.int("LTI_GRADE_MAX_RETRIES", default=8)
# How long a launch's nonce is remembered: a launch replayed within it is refused (longer than any id_token lives).
LTI_NONCE_SECONDS: int = env.int("LTI_NONCE_SECONDS", default=24 * 3600)
