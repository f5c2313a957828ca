"""Which provider and model a session uses, decided from settings and the lesson's override."""

from django.conf import settings

PROVIDERS = ("gemini", "openai", "offline")


def default_provider() -> str:
    """TUTOR_PROVIDER if set, else the first provider whose key is set, else the offline tutor."""
    if settings.TUTOR_PROVIDER:
        return settings.TUTOR_PROVIDER
    if settings.GEMINI_API_KEY:
        return "gemini"
    if settings.OPENAI_API_KEY:
        return "openai"
    return "offline"


def provider_available(name: str) -> bool:
    return name == "offline" or bool({"gemini": settings.GEMINI_API_KEY, "openai": settings.OPENAI_API_KEY}.get(name))


def provider_for_lesson(lesson_provider: str) -> str:
    """The lesson's provider when this site can use it, else the site's default."""
    if lesson_provider and provider_available(lesson_provider):
        return lesson_provider
    return default_provider()


def live_model(provider: str) -> str:
    return {
        "gemini": settings.GEMINI_LIVE_MODEL,
        "openai": settings.OPENAI_REALTIME_MODEL,
        "offline": "offline",
    }[provider]


def context_window(model: str) -> int:
    return settings.TUTOR_CONTEXT_WINDOWS.get(model, settings.TUTOR_DEFAULT_CONTEXT_WINDOW)


def context_budget(model: str) -> int:
    """The tokens a session of this model may use before older turns are summarized away."""
    return min(context_window(model), settings.TUTOR_CONTEXT_BUDGET_TOKENS)
