"""Background work lost with a killed worker is asked for again: a report (or a version of one) still waiting or
"being written" long after it was last touched, a summary asked for and never written, an ended session's cards
never made. Each task is idempotent (a ready report, a written summary, a made deck are left as they are), so
asking again is safe. Celery beat runs the sweep every minute (config/settings/celery.py), on Redis and on the
embedded broker alike: the embedded broker forgets a message its worker took, and Redis redelivers one only
after its visibility timeout.

STUCK_AFTER is longer than a task is ever silent while it runs: one text-model call (60 s at most) and the retry
backoff before the next (60 s at most)."""

import datetime as dt
from dataclasses import dataclass

from celery import shared_task
from django.db.models import F, Max, Q
from django.utils import timezone

from ..models import FINISHED, ReportStatus, ReportVersion, SessionReport, TutorSession
from .deck import deck_update_task
from .reports import report_write_task
from .summaries import summary_write_task

STUCK_AFTER = dt.timedelta(minutes=3)
SWEEP_SECONDS = 60.0
DECKS_WITHIN = dt.timedelta(days=1)  # a deck that keeps failing is not asked for forever
WAITING = (ReportStatus.PENDING, ReportStatus.RUNNING)


@dataclass(frozen=True)
class Requeued:
    reports: int
    versions: int
    summaries: int
    decks: int


def stuck_work_requeue(*, now: dt.datetime | None = None) -> Requeued:
    """Queue again what a lost worker left; each is touched, so it is asked for again only STUCK_AFTER later."""
    now = now or timezone.now()
    cutoff = now - STUCK_AFTER
    reports = list(
        SessionReport.objects.filter(status__in=WAITING, updated_at__lt=cutoff).values_list("pk", "session_id")
    )
    SessionReport.objects.filter(pk__in=[pk for pk, _session in reports]).update(updated_at=now)
    for _pk, session_id in reports:
        report_write_task.delay_on_commit(session_id)
    versions = list(
        ReportVersion.objects.filter(status__in=WAITING, updated_at__lt=cutoff).values_list(
            "pk", "report__session_id", "language"
        )
    )
    ReportVersion.objects.filter(pk__in=[pk for pk, _s, _l in versions]).update(updated_at=now)
    for _pk, session_id, language in versions:
        report_write_task.delay_on_commit(session_id, language)
    summaries = list(
        TutorSession.objects.filter(summary_requested_at__lt=cutoff)
        .annotate(written=Max("summaries__through_turn"))
        .filter(Q(written__isnull=True) | Q(written__lt=F("summary_requested_through")))
        .values_list("pk", "summary_requested_through")
    )
    TutorSession.objects.filter(pk__in=[pk for pk, _t in summaries]).update(summary_requested_at=now)
    for session_id, through in summaries:
        summary_write_task.delay_on_commit(session_id, through)
    decks = list(
        TutorSession.objects.filter(
            status__in=FINISHED, deck_updated_at__isnull=True, ended_at__lt=cutoff, ended_at__gte=now - DECKS_WITHIN
        ).values_list("pk", flat=True)
    )
    for session_id in decks:
        deck_update_task.delay_on_commit(session_id)
    return Requeued(len(reports), len(versions), len(summaries), len(decks))


@shared_task
def stuck_work_requeue_task() -> dict:
    return vars(stuck_work_requeue())
