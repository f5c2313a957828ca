"""`manage.py check` warns of every model this site may call that has no price (tutor.W001): its usage would
be recorded with an unknown cost, and every total that includes it would be a floor."""

from django.conf import settings
from django.core.checks import Warning

from tutor.config import TutorConfig

UNPRICED = "practice.W001"


def configured_models(tutor: TutorConfig) -> dict[str, str]:
    """Every model a session, a summary, a report or a transcription may use, with where it comes from."""
    uses = {
        tutor.gemini.live_model: "GEMINI_LIVE_MODEL",
        tutor.gemini.text_model: "GEMINI_TEXT_MODEL",
        tutor.openai.realtime_model: "OPENAI_REALTIME_MODEL",
        tutor.openai.text_model: "OPENAI_TEXT_MODEL",
        tutor.openai.transcription_model: "OPENAI_TRANSCRIPTION_MODEL",
    }
    for provider in tutor.catalog.provider_names:
        for model in tutor.catalog.live_models(provider):
            uses.setdefault(model, f"a lesson's model for {provider}")
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
