"""Settings of the Daphne that the Gemini scenario starts: the test settings, except that the tutor is
Gemini Live, reached at the fake server named by GEMINI_BASE_URL (the test settings force offline)."""

from dataclasses import replace

from config.settings.env import env
from config.settings.test import *  # noqa: F403

TUTOR = replace(
    TUTOR,  # noqa: F405
    provider="gemini",
    gemini=replace(TUTOR.gemini, api_key=env.str("GEMINI_API_KEY"), base_url=env.str("GEMINI_BASE_URL")),  # noqa: F405
)
