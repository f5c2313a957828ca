"""Fixtures of the teacher's lesson views."""

import datetime as dt

import pytest

from tests.conftest import configure_tutor
from tutor.providers.catalog import CATALOG, Catalog, ModelFacts


@pytest.fixture
def aging_models(settings):
    """Two models of OpenAI relative to today: one shut down yesterday, one shutting down in a month."""
    today = dt.date.today()
    aged = (
        ModelFacts("gpt-realtime-old", "openai", "live", 32_000, shutdown=today - dt.timedelta(days=1),
                   replacement="gpt-realtime-2.1"),
        ModelFacts("gpt-realtime-soon", "openai", "live", 32_000, shutdown=today + dt.timedelta(days=30),
                   replacement="gpt-realtime-2.1"),
    )  # fmt: skip
    configure_tutor(settings, catalog=Catalog(models=(*CATALOG.models, *aged)))
