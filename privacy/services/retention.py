"""Transcripts are kept PRIVACY_TRANSCRIPT_RETENTION_DAYS days after their session (0: for ever): then the turns,
the summaries of them and the provider's resumption handle go; corrections, words, reports, cards and costs stay,
they are the learner's record (docs/privacy.md). Celery beat runs the task daily (config/settings/celery.py)."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from practice.models import FINISHED, ContextSummary, Turn, TutorSession


@transaction.atomic
def transcripts_delete_expired(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete the transcripts of finished sessions that ended (or, never started, were made) before the cutoff.
    Returns how many turns went."""
    cutoff = (now or timezone.now()) - older_than
    expired = TutorSession.objects.filter(status__in=FINISHED).filter(
        Q(ended_at__lt=cutoff) | Q(ended_at__isnull=True, created_at__lt=cutoff)
    )
    deleted, _ = Turn.objects.filter(session__in=expired).delete()
    ContextSummary.objects.filter(session__in=expired).delete()
    expired.exclude(resumption_handle="").update(resumption_handle="")
    return deleted


@shared_task
def transcripts_delete_expired_task() -> int:
    days = settings.PRIVACY_TRANSCRIPT_RETENTION_DAYS
    if not days:
        return 0
    return transcripts_delete_expired(older_than=dt.timedelta(days=days))
