"""What the tokens (or the seconds of audio) of one exchange cost, from a model's prices (catalog.py)."""

from decimal import Decimal

from ..events import TokenUsage
from .catalog import Prices, ProviderFacts

MILLION = Decimal(1_000_000)
MINUTE = Decimal(60)


def cost_usd(prices: Prices | None, tokens: TokenUsage) -> Decimal | None:
    """Cached tokens are part of the input counts and billed at the cached rate instead; seconds of audio are
    billed at the per-minute rate, to the second. None: the model has no known price, so the cost is unknown
    (never 0, which would read as free)."""
    if prices is None:
        return None
    text_in, audio_in, cached_in, text_out, audio_out, image_in = (
        Decimal(str(p))
        for p in (prices.text_in, prices.audio_in, prices.cached_in, prices.text_out, prices.audio_out, prices.image_in)
    )
    uncached_text = max(0, tokens.text_in - tokens.cached_in)
    uncached_audio = tokens.audio_in - max(0, tokens.cached_in - tokens.text_in)
    total = (
        uncached_text * text_in
        + max(0, uncached_audio) * audio_in
        + tokens.cached_in * cached_in
        + tokens.image_in * image_in
        + tokens.text_out * text_out
        + tokens.audio_out * audio_out
    )
    by_duration = Decimal(str(tokens.audio_seconds)) / MINUTE * Decimal(str(prices.audio_minute))
    return (total / MILLION + by_duration).quantize(Decimal("0.000001"))


# A minute of lesson, for what a session is expected to cost before it has cost anything (practice/budgets.py
# reserves it): the student's microphone streams the whole minute, the tutor speaks half of it, a transcriber billed
# by the minute hears the student's half, and each of TURNS_PER_MINUTE turns re-bills the context the service
# holds, on average half of what triggers a summary (the context budget keeps it below that), as audio.
TURNS_PER_MINUTE = 6
STUDENT_SECONDS, TUTOR_SECONDS = 60, 30


def minute_estimate_usd(
    live: Prices | None,
    *,
    provider: ProviderFacts,
    context_tokens: float,
    transcription: Prices | None = None,
) -> Decimal | None:
    """What a minute of lesson is expected to cost, by the prices of its live model (and of its transcriber, if it
    has one); None when the live model has no known price. Docs/costs.md has the arithmetic per model."""
    if live is None:
        return None
    tokens_in, tokens_out = provider.audio_tokens_per_second
    context_rate = live.cached_in if provider.caches_context else live.audio_in
    estimate = TokenUsage(
        audio_in=round(STUDENT_SECONDS * tokens_in),
        audio_out=round(TUTOR_SECONDS * tokens_out),
    )
    minute = cost_usd(live, estimate) + Decimal(str(TURNS_PER_MINUTE * context_tokens * context_rate)) / MILLION
    if transcription is not None:
        minute += cost_usd(transcription, TokenUsage(audio_seconds=STUDENT_SECONDS / 2)) or 0
    return minute.quantize(Decimal("0.000001"))
