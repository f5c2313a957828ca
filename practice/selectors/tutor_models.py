"""The models this site is set to call, by provider, with where each is set: the settings' and every lesson's own
(what `manage.py tutor_models` and `make smoke` ask the services about)."""

from collections import defaultdict

from django.db import DatabaseError

from lessons.models import Lesson
from tutor.config import TutorConfig
from tutor.providers.offered import Wanted

LESSONS_NAMED = 3  # a model many lessons name says which, the first few


def models_in_use(*, tutor: TutorConfig) -> dict[str, list[Wanted]]:
    """{provider: [Wanted]} for Gemini and OpenAI, each model once per use."""
    wanted: dict[str, list[Wanted]] = {
        "gemini": [
            Wanted(tutor.gemini.live_model, "live", "GEMINI_LIVE_MODEL"),
            Wanted(tutor.gemini.text_model, "text", "GEMINI_TEXT_MODEL"),
        ],
        "openai": [
            Wanted(tutor.openai.realtime_model, "live", "OPENAI_REALTIME_MODEL"),
            Wanted(tutor.openai.text_model, "text", "OPENAI_TEXT_MODEL"),
            Wanted(tutor.openai.transcription_model, "transcription", "OPENAI_TRANSCRIPTION_MODEL"),
        ],
    }
    titles: dict[tuple[str, str], list[str]] = defaultdict(list)
    named = Lesson.objects.exclude(model="").order_by("title").values_list("provider", "model", "title")
    try:
        for provider, model, title in named:
            titles[(provider, model)].append(title)
    except DatabaseError:  # a database not migrated yet has no lessons to ask about
        titles.clear()
    for (provider, model), named in sorted(titles.items()):
        if provider in wanted:
            shown = ", ".join(f"“{title}”" for title in named[:LESSONS_NAMED])
            more = f" and {len(named) - LESSONS_NAMED} more" if len(named) > LESSONS_NAMED else ""
            wanted[provider].append(Wanted(model, "live", f"the lesson{'s' if len(named) > 1 else ''} {shown}{more}"))
    return wanted
