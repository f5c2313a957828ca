"""Settings of the Daphne that the failover scenario starts: the Gemini scenario's (Gemini Live first, at the fake
named by GEMINI_BASE_URL), with OpenAI Realtime's key too, so TUTOR_FAILOVER can go on with its fake
(OPENAI_BASE_URL); the test settings take every key away."""

from dataclasses import replace

from config.settings.env import env
from tests.e2e.gemini_settings import *  # noqa: F403

TUTOR = replace(TUTOR, openai=replace(TUTOR.openai, api_key=env.str("OPENAI_API_KEY")))  # noqa: F405
