"""Settings of the Daphne that the Gemini scenario starts: the test settings, except that the tutor is
Gemini Live, reached at the fake server named by GEMINI_BASE_URL (the test settings force offline)."""

from tutor.settings.env import env
from tutor.settings.test import *  # noqa: F403

TUTOR_PROVIDER = "gemini"
GEMINI_API_KEY = env.str("GEMINI_API_KEY")
GEMINI_BASE_URL = env.str("GEMINI_BASE_URL")
