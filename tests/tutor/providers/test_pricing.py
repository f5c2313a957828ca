from decimal import Decimal

from tutor.events import TokenUsage
from tutor.providers.catalog import CATALOG, Prices
from tutor.providers.pricing import cost_usd


def test_cached_tokens_are_billed_at_the_cached_rate():
    prices = Prices(4, 32, 0.4, 16, 64, 5)
    plain = cost_usd(prices, TokenUsage(text_in=1_000_000))
    cached = cost_usd(prices, TokenUsage(text_in=1_000_000, cached_in=1_000_000))
    assert (plain, cached) == (Decimal("4.000000"), Decimal("0.400000"))


def test_an_unknown_price_costs_nothing_rather_than_failing():
    assert cost_usd(CATALOG.prices("not-in-the-table"), TokenUsage(text_in=10)) == 0


def test_a_price_from_settings_replaces_the_tables_and_may_name_a_new_model():
    catalog = CATALOG.with_prices({"gpt-realtime": Prices(1, 2, 0, 3, 4, 5), "my-model": Prices(9, 9, 9, 9, 9, 9)})
    assert catalog.prices("gpt-realtime") == Prices(1, 2, 0, 3, 4, 5)
    assert catalog.prices("my-model").text_in == 9
    assert catalog.context_window("gpt-realtime") == CATALOG.context_window("gpt-realtime")
    assert CATALOG.prices("gpt-realtime").text_in == 4  # the table itself is unchanged
