"""The context budget: when a session's context grows past its trigger, older turns are summarized
(by Celery, after commit) into a ContextSummary that covers them for good; the live runner then keeps
the persona, the summaries and the last turns verbatim (docs/context.md)."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import IntegrityError, transaction

from . import provider_settings, services
from .groups import control_group
from .live.context import SummaryPolicy
from .live.text import TextModel, TextModelError
from .models import ContextSummary, Turn, TutorSession
from .provider_factory import text_model
from .writers import Conversation, CorrectionText, TurnText, Written, extractive_summary, model_summary

log = logging.getLogger(__name__)


class TextModelBusy(Exception):
    """The provider's text model failed in a way worth retrying later (Celery retries with backoff)."""


def context_usage_record(*, session_id: int, tokens: int, through_turn: int) -> int | None:
    """Store the session's context size; queue a summary when it is due. Returns the turn it will
    cover, or None.

    Due: every TUTOR_SUMMARY_EVERY_TURNS turns, or sooner once the context passes
    TUTOR_SUMMARY_TRIGGER_SHARE of the budget (the smaller of TUTOR_CONTEXT_BUDGET_TOKENS and the model's
    window), but never for fewer than TUTOR_SUMMARY_MIN_TURNS new turns.
    The last TUTOR_RECENT_TURNS_KEPT turns always stay verbatim.
    """
    from .tasks import summarize_context

    with transaction.atomic():
        session = TutorSession.objects.select_for_update().get(pk=session_id)
        session.context_tokens = max(0, tokens)
        covered = max(session.summary_requested_through, _summarized_through(session_id))
        policy = summary_policy(session.model)
        new_turns = Turn.objects.filter(
            session_id=session_id, index__gt=covered, index__lte=through_turn - policy.recent_turns
        ).count()
        target = policy.target(tokens=tokens, through_turn=through_turn, covered=covered, new_turns=new_turns)
        if target is None:
            session.save(update_fields=["context_tokens"])
            return None
        session.summary_requested_through = target
        session.save(update_fields=["context_tokens", "summary_requested_through"])
        summarize_context.delay_on_commit(session_id, target)
        return target


def summary_policy(model: str) -> SummaryPolicy:
    return SummaryPolicy(
        budget_tokens=provider_settings.context_budget(model),
        trigger_share=settings.TUTOR_SUMMARY_TRIGGER_SHARE,
        every_turns=settings.TUTOR_SUMMARY_EVERY_TURNS,
        min_turns=settings.TUTOR_SUMMARY_MIN_TURNS,
        recent_turns=settings.TUTOR_RECENT_TURNS_KEPT,
    )


def _summarized_through(session_id: int) -> int:
    latest = ContextSummary.objects.filter(session_id=session_id).order_by("-through_turn").first()
    return latest.through_turn if latest else -1


def context_summarize(*, session_id: int, through_turn: int, fallback: bool = False) -> ContextSummary | None:
    """Summarize the turns after the previous summary up to `through_turn`.

    Idempotent: a retry or a duplicate delivery finds the row and returns it. A retryable model
    failure raises TextModelBusy unless `fallback` (the last attempt), which writes an extractive
    summary instead, as does a model failure no retry can fix.
    """
    existing = ContextSummary.objects.filter(session_id=session_id, through_turn=through_turn).first()
    if existing is not None:
        return existing
    session = TutorSession.objects.select_related("lesson", "student").get(pk=session_id)
    previous = (
        ContextSummary.objects.filter(session_id=session_id, through_turn__lt=through_turn)
        .order_by("-through_turn")
        .first()
    )
    start = previous.through_turn if previous else -1
    conversation = conversation_of(session, after=start, through=through_turn)
    if not conversation.turns:
        return None
    written = _write(session.provider, conversation, fallback=fallback)
    try:
        with transaction.atomic():
            summary = ContextSummary.objects.create(
                session_id=session_id,
                through_turn=through_turn,
                text=written.text,
                tokens=(len(written.text) + 3) // 4,
            )
            if written.usage is not None:
                services.usage_record(
                    session_id=session_id,
                    provider=session.provider,
                    model=written.model,
                    tokens=written.usage,
                    purpose="summary",
                )
    except IntegrityError:  # a duplicate delivery won the race: one row, as promised
        return ContextSummary.objects.get(session_id=session_id, through_turn=through_turn)
    transaction.on_commit(lambda: _tell_live_session(session_id, through_turn))
    return summary


def _write(provider: str, conversation: Conversation, *, fallback: bool) -> Written:
    return write_with_text_model(
        provider,
        with_model=lambda model: model_summary(model, conversation),
        without=lambda: extractive_summary(conversation),
        fallback=fallback,
    )


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
    model = text_model(provider)
    if model is None:
        return without()
    try:
        return asyncio.run(with_model(model))
    except TextModelError as exc:
        if exc.retryable and not fallback:
            raise TextModelBusy(exc.message) from exc
        log.warning("writing with %s's text model failed (%s); writing without it", provider, exc.message)
        return without()


def _tell_live_session(session_id: int, through_turn: int) -> None:
    """The runner (in whichever Daphne process holds it) uses the summary from its next connection."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(control_group(session_id), {"type": "live.summary", "through": through_turn})


def conversation_of(session: TutorSession, *, after: int = -1, through: int | None = None) -> Conversation:
    turns = Turn.objects.filter(session=session, index__gt=after).order_by("index")
    if through is not None:
        turns = turns.filter(index__lte=through)
    turns = list(turns)
    indices = [t.index for t in turns]
    corrections = session.corrections.filter(turn_index__in=indices) if through is not None else session.corrections
    events = (
        session.vocabulary_events.filter(turn_index__in=indices) if through is not None else session.vocabulary_events
    )
    return Conversation(
        lesson_title=session.lesson.title,
        language=session.lesson.language,
        scenario=session.lesson.scenario,
        learner=session.student.first_name or session.student.username,
        tutor=session.lesson.persona_name,
        turns=tuple(TurnText(t.index, t.role, t.text) for t in turns),
        corrections=tuple(
            CorrectionText(c.original, c.corrected, c.category, c.explanation)
            for c in corrections.order_by("created_at")
        ),
        words_used=tuple(dict.fromkeys(events.values_list("word", flat=True))),
        words_learned=tuple(dict.fromkeys(events.filter(status="learned").values_list("word", flat=True))),
        objectives=tuple(session.lesson.objectives),
        objectives_met=tuple(session.objectives_met),
        minutes=session.duration_seconds / 60,
    )
