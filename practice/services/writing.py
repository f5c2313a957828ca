"""Writing a summary or a report with the provider's text model, or without one: the retry-or-fall-back rule that
summaries and reports share, the retry settings of the tasks that write them, and the recording of every call
the service billed, once, as it returns (an answer that could not be used included)."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from tutor.events import TokenUsage
from tutor.providers.factory import text_model
from tutor.providers.text import TextModel, TextModelError

from ..models import ReportFallback

log = logging.getLogger(__name__)


class TextModelBusy(Exception):
    """The provider's text model failed in a way worth retrying later (Celery retries with backoff)."""


MAX_RETRIES = 4  # a busy service (429, 5xx, no answer): five calls at most, with backoff
UNUSABLE_RETRIES = 1  # an answer that could not be used: one more call, then the writing goes on without the model
# Celery options of every task that writes with a text model: a busy model is retried with backoff, and the last
# attempt writes without it (see write_with_text_model).
RETRY = {"autoretry_for": (TextModelBusy,), "retry_backoff": 2, "retry_backoff_max": 60, "max_retries": MAX_RETRIES}


class Billed(Protocol):
    usage: TokenUsage | None
    model: str


@dataclass(frozen=True)
class Outcome[T]:
    written: T
    fell_back: str = ReportFallback.NONE  # why it was written without the text model the provider has


def write_with_text_model[T: Billed](
    provider: str,
    *,
    with_model: Callable[[TextModel], Awaitable[T]],
    without: Callable[[], T],
    attempt: int,
    record_usage: Callable[[TokenUsage, str], None],
) -> Outcome[T]:
    """Write with the provider's text model, else without one. `attempt` counts from 0 (Celery's retries). Every
    call the service billed is recorded through `record_usage` as soon as it returns, whether its answer could be
    used or not. A busy service raises TextModelBusy (Celery retries) until the last attempt; an unusable answer
    gets UNUSABLE_RETRIES more tries; then, and for a failure no retry fixes (a bad key), it writes without the
    model, so a session never goes without its summary or report, and says why."""
    model = text_model(settings.TUTOR, provider)
    if model is None:
        return Outcome(without())
    try:
        written = asyncio.run(with_model(model))
    except TextModelError as exc:
        if exc.usage is not None:
            record_usage(exc.usage, exc.model or model.model)
        last = attempt >= (UNUSABLE_RETRIES if exc.unusable else MAX_RETRIES)
        if exc.retryable and not last:
            raise TextModelBusy(exc.message) from exc
        reason = (
            ReportFallback.UNUSABLE if exc.unusable else ReportFallback.UNAVAILABLE if exc.retryable
            else ReportFallback.REFUSED
        )  # fmt: skip
        log.warning("writing with %s's text model failed (%s); writing without it", provider, exc.message)
        return Outcome(without(), fell_back=reason)
    if written.usage is not None:
        record_usage(written.usage, written.model)
    return Outcome(written)
