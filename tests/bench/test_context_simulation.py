"""The benchmark's hour of conversation, checked for what it claims (not for speed)."""

from bench.bench_context import MARKS, simulate
from tutor.context import SummaryPolicy


def test_with_summaries_the_context_stays_under_the_budget_all_hour():
    budget = SummaryPolicy(budget_tokens=16_000).budget_tokens
    for provider in ("gemini", "openai"):
        with_, without = simulate(provider, summaries=True), simulate(provider, summaries=False)
        assert all(with_["context_at"][mark] < budget for mark in MARKS)
        assert without["context_at"][60] > budget > with_["context_at"][60]
        assert with_["billed"] < without["billed"] / 5
