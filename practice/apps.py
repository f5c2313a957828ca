"""Practice: live sessions and everything they leave behind (turns, corrections, words, summaries,
reports, usage), the learner's progress and the teacher's review."""

from django.apps import AppConfig
from django.core import checks

from .checks import prices_known


class PracticeConfig(AppConfig):
    name = "practice"
    # The app was called "tutor" before the move to this layout: the label keeps its tables
    # (tutor_tutorsession, tutor_turn, …) and its migration history.
    label = "tutor"
    verbose_name = "Practice sessions"

    def ready(self) -> None:
        checks.register(prices_known, "tutor")
