"""Celery tasks: thin wrappers that load ids, call one service, and retry."""

from datetime import timedelta

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings

from . import reports, services, summaries

RETRY = {"autoretry_for": (summaries.TextModelBusy,), "retry_backoff": 2, "retry_backoff_max": 60, "max_retries": 4}


@shared_task
def ping() -> str:
    """Answers "pong": lets `make run` and operators see that a worker is consuming."""
    return "pong"


@shared_task
def end_stale_sessions() -> int:
    return services.sessions_end_stale(idle_for=timedelta(minutes=settings.LIVE_STALE_AFTER_MINUTES))


@shared_task(bind=True, **RETRY)
def summarize_context(self, session_id: int, through_turn: int) -> int | None:
    summary = summaries.context_summarize(
        session_id=session_id, through_turn=through_turn, fallback=self.request.retries >= self.max_retries
    )
    return summary.pk if summary else None


class ReportTask(DjangoTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Past its retries, the report says it failed instead of staying "being written" for ever."""
        reports.report_mark_failed(session_id=args[0] if args else kwargs["session_id"], error=str(exc))


@shared_task(bind=True, base=ReportTask, **RETRY)
def build_session_report(self, session_id: int) -> int:
    return reports.report_build(session_id=session_id, fallback=self.request.retries >= self.max_retries).pk
