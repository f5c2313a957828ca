"""The live-session app: sessions, turns, corrections, summaries, reports and usage."""

from django.apps import AppConfig


class TutorConfig(AppConfig):
    name = "tutor"
    verbose_name = "Tutor sessions"

    def ready(self) -> None:
        # Loading the Celery app here binds every shared_task to it in web and worker processes.
        from . import celery  # noqa: F401
