"""The Celery app: configuration from Django settings (CELERY_*), tasks from the modules CELERY_IMPORTS
names (each task sits beside the service it wraps)."""

import os

from celery import Celery

from .metrics import celery as _task_numbers  # noqa: F401 (connects Celery's signals to the task metrics)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
