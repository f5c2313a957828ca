"""The tutor project: settings, ASGI and Celery apps, and the live-session app."""
