"""pytest: the same settings, with fast password hashing, eager Celery and the offline provider."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key")
# Each test run keeps its broker folders and file database apart from `make run`'s.
os.environ.setdefault("TUTOR_DATA_DIR", tempfile.mkdtemp(prefix="tutor-test-"))

from dataclasses import replace

from .base import *  # noqa: F403
from .env import DATA_DIR, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
SECURE_COOKIES = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
# The test client and the browser tests speak plain HTTP to localhost.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# Tests never reach a real provider: a key set in the developer's shell must not pick one. A test that
# starts a worker process against a fake passes the fake's key as TEST_GEMINI_API_KEY.
TUTOR = replace(
    TUTOR,  # noqa: F405
    provider="offline",
    gemini=replace(TUTOR.gemini, api_key=env.str("TEST_GEMINI_API_KEY", default="")),  # noqa: F405
    openai=replace(TUTOR.openai, api_key=""),  # noqa: F405
)
# A file database, not SQLite's in-memory default: the Celery worker and Daphne that some tests start
# run in other processes and must see the same rows.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
# Connections opened in database_sync_to_async threads must not outlive a test (PostgreSQL refuses to
# drop a test database that is still in use).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
