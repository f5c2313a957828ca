"""Practice: live sessions and everything they leave behind (turns, corrections, words, summaries,
reports, usage), the learner's progress and the teacher's review."""

from django.apps import AppConfig
from django.core import checks

from .checks import models_current, prices_known


class PracticeConfig(AppConfig):
    name = "practice"
    # Its tables keep the names they had while the app was labelled "tutor" (each model's Meta.db_table); a
    # database from then has its migration history relabelled by `manage.py migrate` (management/commands).
    verbose_name = "Practice sessions"

    def ready(self) -> None:
        checks.register(prices_known, "providers")
        checks.register(models_current, "providers")
