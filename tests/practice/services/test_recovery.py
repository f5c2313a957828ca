"""Work a killed worker left half done is asked for again by the sweep: a report still "being written" long after
it was touched, a summary asked for and never written, an ended session's cards never made; work in progress is
left alone."""

import datetime as dt
import os
import subprocess
import sys
import time

import pytest
from django.utils import timezone

from practice.models import ContextSummary, ReportStatus, SessionReport, TutorSession
from practice.services.recovery import STUCK_AFTER, stuck_work_requeue
from practice.services.sessions import session_end
from tests import worker as workers
from tests.worker import ROOT, wait_for

from ..factories import recorded_session

LONG_AGO = timezone.now() - STUCK_AFTER - dt.timedelta(seconds=1)


def _ended_as_a_killed_worker_left_it(student, lesson) -> TutorSession:
    """Ended; its report "being written" since long ago, its cards not made: the worker died on them."""
    session = recorded_session(student, lesson)
    session_end(session_id=session.pk, reason="student")  # tasks queued on commit: never run in this test
    SessionReport.objects.filter(session=session).update(status=ReportStatus.RUNNING, updated_at=LONG_AGO)
    TutorSession.objects.filter(pk=session.pk).update(ended_at=LONG_AGO)
    return session


def test_a_report_and_cards_a_killed_worker_left_are_written_again(student, lesson, django_capture_on_commit_callbacks):
    session = _ended_as_a_killed_worker_left_it(student, lesson)
    with django_capture_on_commit_callbacks(execute=True):
        requeued = stuck_work_requeue()
    assert (requeued.reports, requeued.decks) == (1, 1)
    assert SessionReport.objects.get(session=session).status == ReportStatus.READY
    session.refresh_from_db()
    assert session.deck_updated_at is not None and student.cards.exists()


def test_work_in_progress_is_left_alone(student, lesson, django_capture_on_commit_callbacks):
    session = recorded_session(student, lesson)
    session_end(session_id=session.pk, reason="student")
    SessionReport.objects.filter(session=session).update(status=ReportStatus.RUNNING, updated_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        requeued = stuck_work_requeue()
    assert requeued.reports == 0 and SessionReport.objects.get(session=session).status == ReportStatus.RUNNING


def test_a_summary_asked_for_and_never_written_is_asked_for_again(student, lesson, django_capture_on_commit_callbacks):
    session = recorded_session(student, lesson)  # 8 turns
    TutorSession.objects.filter(pk=session.pk).update(summary_requested_through=5, summary_requested_at=LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        requeued = stuck_work_requeue()
    assert requeued.summaries == 1
    assert ContextSummary.objects.get(session=session).through_turn == 5
    with django_capture_on_commit_callbacks(execute=True):
        assert stuck_work_requeue().summaries == 0  # written: not asked for again


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_with_beat_writes_a_report_its_killed_predecessor_left_running(student, lesson, tmp_path):
    """A worker (with beat, as `make run` starts it) comes back: the report is written within five minutes."""
    session = _ended_as_a_killed_worker_left_it(student, lesson)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": workers.test_database_url(),
    }
    back = time.monotonic()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-B", "--schedule", str(tmp_path / "beat"),
         "--pool=threads", "--concurrency=2", "--loglevel=WARNING", "--without-gossip", "--without-mingle",
         "--without-heartbeat"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_for(lambda: SessionReport.objects.filter(session=session, status="ready").exists(), timeout=300)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    print(f"report written {time.monotonic() - back:.1f} s after the worker came back")  # shown with -s
