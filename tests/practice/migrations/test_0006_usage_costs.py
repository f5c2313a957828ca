"""Rows recorded at $0 before their model had a price are priced from their tokens; an unknown model's become
unknown; the offline tutor's stay free."""

import importlib
from decimal import Decimal

from django.apps import apps

from practice.models import UsageRecord

MIGRATION = importlib.import_module("practice.migrations.0006_usage_costs")


def test_rows_stored_free_are_priced_again_from_their_tokens(reviewed):
    def row(provider: str, model: str) -> UsageRecord:
        return UsageRecord.objects.create(
            session=reviewed, provider=provider, model=model, purpose="summary", text_in_tokens=1_000_000,
            text_out_tokens=100_000, total_tokens=1_100_000, cost_usd=Decimal(0),
        )  # fmt: skip

    summary, unknown, offline = row("gemini", "gemini-2.5-flash"), row("openai", "nobody-priced"), row("offline", "offline")
    MIGRATION.reprice_free_rows(apps, None)
    costs = [UsageRecord.objects.get(pk=r.pk).cost_usd for r in (summary, unknown, offline)]
    assert costs == [Decimal("0.550000"), None, Decimal(0)]  # 1 M text in at $0.30, 100k out at $2.50
