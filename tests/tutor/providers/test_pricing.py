from decimal import Decimal

import pytest

from tutor.config import TutorConfig
from tutor.events import TokenUsage
from tutor.providers.catalog import CATALOG, READ_ON, Prices
from tutor.providers.pricing import cost_usd


def test_cached_tokens_are_billed_at_the_cached_rate():
    prices = Prices(4, 32, 0.4, 16, 64, 5)
    plain = cost_usd(prices, TokenUsage(text_in=1_000_000))
    cached = cost_usd(prices, TokenUsage(text_in=1_000_000, cached_in=1_000_000))
    assert (plain, cached) == (Decimal("4.000000"), Decimal("0.400000"))


def test_an_unknown_price_gives_an_unknown_cost_not_zero():
    assert cost_usd(CATALOG.prices("not-in-the-table"), TokenUsage(text_in=10)) is None


@pytest.mark.parametrize(
    ("model", "tokens", "expected"),
    [
        # Summaries and reports: text in and out, part of the input read from the cache.
        ("gemini-2.5-flash", TokenUsage(text_in=1_000_000, cached_in=200_000, text_out=100_000), "0.496000"),
        ("gpt-4.1-mini", TokenUsage(text_in=1_000_000, cached_in=500_000, text_out=100_000), "0.410000"),
        # A Realtime session's transcription: audio in, text out.
        ("gpt-4o-mini-transcribe", TokenUsage(text_in=1_000, audio_in=100_000, text_out=20_000), "0.401250"),
        ("gpt-4o-transcribe", TokenUsage(text_in=1_000, audio_in=100_000, text_out=20_000), "0.802500"),
    ],
)
def test_every_text_and_transcription_model_the_app_calls_has_its_list_price(model, tokens, expected):
    assert cost_usd(CATALOG.prices(model), tokens) == Decimal(expected)


def test_the_transcription_models_are_not_offered_as_live_models():
    assert CATALOG.model("gpt-4o-mini-transcribe").kind == "transcription"
    assert "gpt-4o-mini-transcribe" not in CATALOG.live_models("openai")


def test_a_price_from_settings_replaces_the_tables_and_may_name_a_new_model():
    catalog = CATALOG.with_prices({"gpt-realtime": Prices(1, 2, 0, 3, 4, 5), "my-model": Prices(9, 9, 9, 9, 9, 9)})
    assert catalog.prices("gpt-realtime") == Prices(1, 2, 0, 3, 4, 5)
    assert catalog.prices("my-model").text_in == 9
    assert catalog.context_window("gpt-realtime") == CATALOG.context_window("gpt-realtime")
    assert CATALOG.prices("gpt-realtime").text_in == 4  # the table itself is unchanged


def test_a_dated_snapshot_named_by_the_service_has_its_models_price():
    """OpenAI's chat answers name the snapshot that served them; the summary's usage row is priced by it."""
    assert CATALOG.prices("gpt-4.1-mini-2025-04-14") == CATALOG.prices("gpt-4.1-mini") is not None
    assert CATALOG.prices("no-such-model-2025-04-14") is None
    assert CATALOG.with_prices({"gpt-4.1-mini-2025-04-14": Prices(1, 1, 1, 1, 1, 1)}).prices(
        "gpt-4.1-mini-2025-04-14"
    ) == Prices(1, 1, 1, 1, 1, 1)


def test_a_model_billed_by_the_minute_costs_its_seconds_to_the_second():
    assert cost_usd(Prices.per_minute(0.0045), TokenUsage(audio_seconds=90)) == Decimal("0.006750")
    assert Prices.of([0, 0, 0, 0, 0, 0, 0.017]).audio_minute == 0.017  # TUTOR_PRICES_JSON's seventh value
    assert Prices.of([1, 2, 3, 4, 5, 6]).audio_minute == 0


def test_every_model_the_catalog_has_carries_a_price_or_is_shut_down():
    """A model a site may call today has a price (the budget counts only priced usage)."""
    current = [m.name for m in CATALOG.models if CATALOG.lifecycle(m.name, READ_ON).state != "shut_down"]
    assert [name for name in current if CATALOG.prices(name) is None] == []


@pytest.mark.parametrize(
    ("provider", "model", "per_minute"),
    [("gemini", "gemini-3.8-live", "0.10"), ("openai", "gpt-realtime-2.1", "0.07"), ("offline", "offline", "0.00")],
)
def test_a_minute_of_lesson_is_estimated_from_the_models_prices(provider, model, per_minute):
    assert TutorConfig().session_estimate_usd(provider, model, minutes=1) == Decimal(per_minute)
    assert TutorConfig().session_estimate_usd(provider, model, minutes=15) >= 14 * Decimal(per_minute)


def test_a_model_without_a_price_has_no_estimate():
    assert TutorConfig().session_estimate_usd("openai", "gpt-unpriced", minutes=15) is None
