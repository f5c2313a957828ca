"""Celery tasks run by a real worker process: the embedded filesystem broker locally, Redis in CI."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from live.health import ping
from practice.models import ContextSummary, SessionReport
from practice.services import summaries
from practice.services.sessions import session_end
from practice.services.summaries import summary_write_task
from tests.conftest import configure_tutor
from tests.worker import start_worker, stop_worker, wait_for
from tutor.session.control import control_group

from ..factories import recorded_session

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    process = start_worker()
    yield process
    stop_worker(process)


@pytest.fixture
def queued(monkeypatch):
    """Dispatch to the broker, as in production, instead of running tasks in the test."""
    monkeypatch.setitem(ping.app.conf, "task_always_eager", False)


def test_the_worker_answers_a_ping(worker, queued):
    assert ping.delay().get(timeout=60) == "pong"


def test_the_worker_writes_the_report_when_a_session_ends(worker, queued, student, lesson):
    session = recorded_session(student, lesson)
    session_end(session_id=session.pk, reason="student")
    report = wait_for(lambda: SessionReport.objects.filter(session=session, status="ready").first(), timeout=60)
    assert report.corrections_by_category["grammar"]["count"] == 1


def test_the_worker_summarizes_when_the_budget_trigger_passes(worker, queued, student, lesson, settings):
    configure_tutor(settings, summaries={"every_turns": 4, "recent_turns": 2})
    session = recorded_session(student, lesson)  # 8 turns
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(control_group(session.pk), channel)
    summaries.context_usage_record(session_id=session.pk, tokens=1000, through_turn=7)
    summary = wait_for(lambda: ContextSummary.objects.filter(session=session).first(), timeout=60)
    assert summary.through_turn == 5
    if settings.CHANNEL_LAYERS["default"]["BACKEND"].startswith("channels_redis"):
        # Across processes only on Redis: the in-memory layer of `make run` lives in one process, and there
        # the runner picks the summary up from the database at its next connection instead.
        assert async_to_sync(layer.receive)(channel) == {"type": "live.summary", "through": 5}


def test_a_duplicate_delivery_makes_one_summary(worker, queued, student, lesson):
    session = recorded_session(student, lesson)
    results = [summary_write_task.delay(session.pk, 3) for _ in range(3)]
    ids = {result.get(timeout=60) for result in results}
    assert len(ids) == 1 and ContextSummary.objects.filter(session=session).count() == 1
