from decimal import Decimal

from tutor.live.events import TokenUsage
from tutor.pricing import cost_usd


def test_cached_tokens_are_billed_at_the_cached_rate(settings):
    settings.TUTOR_PRICES = {"m": (4, 32, 0.4, 16, 64, 5)}
    plain = cost_usd("m", TokenUsage(text_in=1_000_000))
    cached = cost_usd("m", TokenUsage(text_in=1_000_000, cached_in=1_000_000))
    assert (plain, cached) == (Decimal("4.000000"), Decimal("0.400000"))


def test_an_unknown_model_costs_nothing_rather_than_failing(settings):
    assert cost_usd("not-in-the-table", TokenUsage(text_in=10)) == 0
