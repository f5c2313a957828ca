"""Writes of what a live session says as it goes: turns, the tutor's notes of every kind (corrections,
vocabulary, pronunciation, objectives, ...), usage rows with their price, and the provider's resumption handle.
The live store calls them as each thing finishes."""

import datetime as dt

from django.conf import settings
from django.db import models

from tutor.events import Note, TokenUsage
from tutor.providers.pricing import cost_usd

from ..models import Turn, TutorSession, UsageRecord
from ..notes import NOTE_KEEPING

TURN_FIELDS = ["role", "text", "started_at", "ended_at", "audio_ms", "interrupted", "provider", "model"]


def turn_record(
    *,
    session_id: int,
    index: int,
    role: str,
    text: str,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    audio_ms: int = 0,
    interrupted: bool = False,
    provider: str = "",
    model: str = "",
) -> Turn:
    """Idempotent on (session, index): a retried write replaces, never duplicates. One upsert statement,
    as the live sessions write a turn every few seconds each."""
    turn = Turn(
        session_id=session_id,
        index=index,
        role=role,
        text=text,
        started_at=started_at,
        ended_at=ended_at,
        audio_ms=audio_ms,
        interrupted=interrupted,
        provider=provider,
        model=model,
    )
    Turn.objects.bulk_create(
        [turn], update_conflicts=True, unique_fields=["session", "index"], update_fields=TURN_FIELDS
    )
    return turn


def note_record(*, session_id: int, note: Note) -> models.Model | None:
    """A note the tutor took, of any kind, kept the way its kind is kept (practice/notes.py): its row, if a row."""
    return NOTE_KEEPING[type(note)].record(session_id=session_id, note=note)


def usage_record(
    *, session_id: int | None, provider: str, model: str, tokens: TokenUsage, purpose: str = "live"
) -> UsageRecord:
    """A billed call, priced; `session_id` None for one made for the site, not a session (a lesson's drafts)."""
    return UsageRecord.objects.create(
        session_id=session_id,
        provider=provider,
        model=model,
        purpose=purpose,
        text_in_tokens=tokens.text_in,
        audio_in_tokens=tokens.audio_in,
        image_in_tokens=tokens.image_in,
        cached_in_tokens=tokens.cached_in,
        text_out_tokens=tokens.text_out,
        audio_out_tokens=tokens.audio_out,
        total_tokens=tokens.total,
        audio_seconds=tokens.audio_seconds,
        cost_usd=cost_usd(settings.TUTOR.price(model), tokens),
    )


def resumption_handle_save(*, session_id: int, handle: str) -> None:
    TutorSession.objects.filter(pk=session_id).update(resumption_handle=handle)
