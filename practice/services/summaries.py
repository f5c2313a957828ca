"""The context budget: when a session's context grows past its trigger, older turns are summarized (by
Celery, after commit) into a ContextSummary that covers them for good; the live runner then keeps the
persona, the summaries and the last turns verbatim (docs/context.md)."""

from asgiref.sync import async_to_sync
from celery import shared_task
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tutor.events import TokenUsage
from tutor.session import control

from ..models import ContextSummary, Turn, TutorSession
from ..selectors.conversations import conversation_of
from ..selectors.live import summarized_through
from ..writers import Conversation, Written, extractive_summary, model_summary
from .recording import usage_record
from .writing import RETRY, write_with_text_model


def context_usage_record(*, session_id: int, tokens: int, through_turn: int) -> int:
    """Store the session's context size and queue a summary when one is due. Returns the last turn the
    newest summary covers (-1 if none), so the live runner learns of new summaries in the same write.

    Due: every TUTOR_SUMMARY_EVERY_TURNS turns, or sooner once the context passes
    TUTOR_SUMMARY_TRIGGER_SHARE of the budget (the smaller of TUTOR_CONTEXT_BUDGET_TOKENS and the model's
    window), but never for fewer than TUTOR_SUMMARY_MIN_TURNS new turns.
    The last TUTOR_RECENT_TURNS_KEPT turns always stay verbatim.
    """
    with transaction.atomic():
        session = TutorSession.objects.select_for_update().get(pk=session_id)
        session.context_tokens = max(0, tokens)
        done = summarized_through(session_id=session_id)
        covered = max(session.summary_requested_through, done)
        policy = settings.TUTOR.summary_policy(session.model)
        new_turns = Turn.objects.filter(
            session_id=session_id, index__gt=covered, index__lte=through_turn - policy.recent_turns
        ).count()
        target = policy.target(tokens=tokens, through_turn=through_turn, covered=covered, new_turns=new_turns)
        if target is None:
            session.save(update_fields=["context_tokens"])
            return done
        session.summary_requested_through = target
        session.summary_requested_at = timezone.now()
        session.save(update_fields=["context_tokens", "summary_requested_through", "summary_requested_at"])
        summary_write_task.delay_on_commit(session_id, target)
        return done


def summary_write(*, session_id: int, through_turn: int, attempt: int = 0) -> ContextSummary | None:
    """Summarize the turns after the previous summary up to `through_turn`.

    Idempotent: a retry or a duplicate delivery finds the row and returns it. A retryable model
    failure raises TextModelBusy until the last attempt (writing.py), which writes an extractive
    summary instead, as does a model failure no retry can fix. Every call the text model billed is a usage
    row (purpose "summary"), written as the call returns, even when its answer could not be used.
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
    written = _write(session_id, session.provider, conversation, attempt=attempt)
    try:
        with transaction.atomic():
            summary = ContextSummary.objects.create(
                session_id=session_id,
                through_turn=through_turn,
                text=written.text,
                language=conversation.reader_language,
                tokens=(len(written.text) + 3) // 4,
            )
    except IntegrityError:  # a duplicate delivery won the race: one row, as promised
        return ContextSummary.objects.get(session_id=session_id, through_turn=through_turn)
    transaction.on_commit(lambda: _tell_live_session(session_id, through_turn))
    return summary


@shared_task(bind=True, **RETRY)
def summary_write_task(self, session_id: int, through_turn: int) -> int | None:
    summary = summary_write(session_id=session_id, through_turn=through_turn, attempt=self.request.retries)
    return summary.pk if summary else None


def _write(session_id: int, provider: str, conversation: Conversation, *, attempt: int) -> Written:
    def billed(tokens: TokenUsage, model: str) -> None:
        usage_record(session_id=session_id, provider=provider, model=model, tokens=tokens, purpose="summary")

    return write_with_text_model(
        provider,
        with_model=lambda model: model_summary(model, conversation),
        without=lambda: extractive_summary(conversation),
        attempt=attempt,
        record_usage=billed,
    ).written


def _tell_live_session(session_id: int, through_turn: int) -> None:
    """The runner (in whichever server process holds it) uses the summary from its next connection."""
    layer = get_channel_layer()
    if layer is not None:
        message = control.encode(control.SummaryReady(through=through_turn))
        async_to_sync(layer.group_send)(control.control_group(session_id), message)
