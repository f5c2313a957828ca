"""What the tokens (or the seconds of audio) of one exchange cost, from a model's prices (catalog.py)."""

from decimal import Decimal

from ..events import TokenUsage
from .catalog import Prices

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
