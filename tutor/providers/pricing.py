"""What the tokens of one exchange cost, from a model's prices (tutor/providers/catalog.py)."""

from decimal import Decimal

from ..events import TokenUsage
from .catalog import Prices

MILLION = Decimal(1_000_000)


def cost_usd(prices: Prices | None, tokens: TokenUsage) -> Decimal | None:
    """Cached tokens are part of the input counts and billed at the cached rate instead. None: the model has
    no known price, so the cost is unknown (never 0, which would read as free)."""
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
    return (total / MILLION).quantize(Decimal("0.000001"))
