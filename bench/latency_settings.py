"""Settings of the Daphne the end-to-end latency bench starts (bench/turn_latency.py): the test settings, with the
tutor the bench names (BENCH_PROVIDER) and its key, at the fake named by GEMINI_BASE_URL or OPENAI_BASE_URL (the
test settings take every key away), and no failover."""

from dataclasses import replace

from config.settings.env import env
from config.settings.test import *  # noqa: F403

TUTOR = replace(
    TUTOR,  # noqa: F405
    provider=env.str("BENCH_PROVIDER"),
    failover=(),
    gemini=replace(TUTOR.gemini, api_key=env.str("GEMINI_API_KEY", default="")),  # noqa: F405
    openai=replace(TUTOR.openai, api_key=env.str("OPENAI_API_KEY", default="")),  # noqa: F405
)
