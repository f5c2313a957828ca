"""Project configuration: settings, the ASGI and Celery applications, the root URLs and WebSocket routes.

Importing the package loads the Celery app, so every task of the apps binds to it in web processes as in
workers (Celery's documented Django layout).
"""

from .celery import app as celery_app

__all__ = ("celery_app",)
