"""Writing a summary or a report with the provider's text model, or without one: the retry-or-fall-back
rule that summaries and reports share, and the retry settings of the tasks that write them."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from django.conf import settings

from tutor.providers.factory import text_model
from tutor.providers.text import TextModel, TextModelError

log = logging.getLogger(__name__)


class TextModelBusy(Exception):
    """The provider's text model failed in a way worth retrying later (Celery retries with backoff)."""


# Celery options of every task that writes with a text model: a busy model is retried with backoff, and
# the last attempt writes without it (see write_with_text_model).
RETRY = {"autoretry_for": (TextModelBusy,), "retry_backoff": 2, "retry_backoff_max": 60, "max_retries": 4}


def write_with_text_model[T](
    provider: str,
    *,
    with_model: Callable[[TextModel], Awaitable[T]],
    without: Callable[[], T],
    fallback: bool,
) -> T:
    """Write with the provider's text model, else without one. A failure worth retrying raises
    TextModelBusy (Celery retries) unless this is the last attempt; any other failure, and the last
    attempt's, writes without the model, so a session never goes without its summary or report."""
    model = text_model(settings.TUTOR, provider)
    if model is None:
        return without()
    try:
        return asyncio.run(with_model(model))
    except TextModelError as exc:
        if exc.retryable and not fallback:
            raise TextModelBusy(exc.message) from exc
        log.warning("writing with %s's text model failed (%s); writing without it", provider, exc.message)
        return without()
