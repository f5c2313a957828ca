"""`manage.py check` on the models this site may call: a model without a price is a warning (practice.W001: its
usage would be recorded with an unknown cost, and every total that includes it would be a floor); a model that
shuts down within RETIRING_WITHIN_DAYS is a warning (practice.W002) and one already shut down an error
(practice.E001), each naming the setting or the lessons that use it and the vendor's replacement. The lessons'
own models are read from the database Django hands the check (every `manage.py check` does; a database not
migrated yet has none)."""

import datetime as dt
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning
from django.db import DatabaseError

from tutor.config import TutorConfig
from tutor.providers.catalog import Lifecycle

UNPRICED = "practice.W001"
RETIRING = "practice.W002"
SHUT_DOWN = "practice.E001"


def configured_models(tutor: TutorConfig) -> dict[str, str]:
    """Every model a session, a summary, a report or a transcription may use, with where it comes from."""
    uses = setting_models(tutor)
    for provider in tutor.catalog.provider_names:
        for model in tutor.catalog.offered_live_models(provider):
            uses.setdefault(model, f"a lesson's model for {provider}")
    return uses


def setting_models(tutor: TutorConfig) -> dict[str, str]:
    """The models the settings name, with the setting that names each."""
    uses: dict[str, str] = {}
    for model, setting in (
        (tutor.gemini.live_model, "GEMINI_LIVE_MODEL"),
        (tutor.gemini.text_model, "GEMINI_TEXT_MODEL"),
        (tutor.openai.realtime_model, "OPENAI_REALTIME_MODEL"),
        (tutor.openai.text_model, "OPENAI_TEXT_MODEL"),
        (tutor.openai.transcription_model, "OPENAI_TRANSCRIPTION_MODEL"),
    ):
        uses[model] = f"{uses[model]}, {setting}" if model in uses else setting
    return uses


def prices_known(app_configs=None, **kwargs) -> list[Warning]:
    """Registered in practice/apps.py."""
    tutor: TutorConfig = settings.TUTOR
    return [
        Warning(
            f"The model {model!r} ({use}) has no price: its usage is recorded with an unknown cost.",
            hint="Add its price to TUTOR_PRICES_JSON (docs/costs.md).",
            id=UNPRICED,
        )
        for model, use in configured_models(tutor).items()
        if tutor.price(model) is None
    ]


def models_current(app_configs=None, databases=None, today: dt.date | None = None, **kwargs) -> list[CheckMessage]:
    """Registered in practice/apps.py: the settings' models, and the lessons' when given the database."""
    tutor: TutorConfig = settings.TUTOR
    messages = []
    for model, setting in setting_models(tutor).items():
        if (message := lifecycle_message(tutor.catalog.lifecycle(model, today), used_by=setting)) is not None:
            messages.append(message)
    if databases and "default" in databases:
        for model, titles in _lessons_by_model().items():
            used_by = f"lessons: {', '.join(sorted(titles)[:5])}" + (" …" if len(titles) > 5 else "")
            if (message := lifecycle_message(tutor.catalog.lifecycle(model, today), used_by=used_by)) is not None:
                messages.append(message)
    return messages


def lifecycle_message(lifecycle: Lifecycle, *, used_by: str) -> CheckMessage | None:
    if lifecycle.state == "current":
        return None
    instead = f"{lifecycle.replacement}, its replacement," if lifecycle.replacement else "a model the service offers"
    if lifecycle.state == "shut_down":
        return Error(
            f"The model {lifecycle.model!r} ({used_by}) was shut down on {lifecycle.shutdown}: the service no longer "
            "answers it.",
            hint=f'Use {instead} instead; docs/costs.md ("Models age") has the facts.',
            id=SHUT_DOWN,
        )
    return Warning(
        f"The model {lifecycle.model!r} ({used_by}) shuts down on {lifecycle.shutdown}, in {lifecycle.days_left} days.",
        hint=f'Move to {instead} before then; docs/costs.md ("Models age") has the facts.',
        id=RETIRING,
    )


def _lessons_by_model() -> dict[str, set[str]]:
    """The lessons that name their own model, by model; nothing from a database not migrated yet."""
    by_model: dict[str, set[str]] = defaultdict(set)
    lessons = apps.get_model("lessons", "Lesson")  # by name: the checks are registered before models load
    try:
        for model, title in lessons.objects.exclude(model="").values_list("model", "title"):
            by_model[model].add(title)
    except DatabaseError:
        return {}
    return by_model
