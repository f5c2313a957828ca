"""What tokens cost, from the price table in settings (TUTOR_PRICES, USD per million tokens)."""

from decimal import Decimal

from django.conf import settings

from tutor.live.events import TokenUsage


def cost_usd(model: str, tokens: TokenUsage) -> Decimal:
    """Cached tokens are part of the input counts and billed at the cached rate instead."""
    prices = settings.TUTOR_PRICES.get(model)
    if prices is None:
        return Decimal(0)
    text_in, audio_in, cached_in, text_out, audio_out, image_in = (Decimal(str(p)) for p in prices)
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
    return (total / Decimal(1_000_000)).quantize(Decimal("0.000001"))
