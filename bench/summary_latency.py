"""Run by bench_context in its own process: a scratch database, a real Celery worker on the configured
broker (filesystem unless REDIS_URL is set), and the time from dispatching a summary to its row."""

import json
import os
import statistics
import tempfile
import time

os.environ["TUTOR_DATA_DIR"] = tempfile.mkdtemp(prefix="tutor-bench-")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ.pop("DATABASE_URL", None)  # always a scratch SQLite file: never touch a real database

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from lessons.services.lessons import lesson_create  # noqa: E402
from practice.models import ContextSummary  # noqa: E402
from practice.selectors.conversations import conversation_of  # noqa: E402
from practice.services.summaries import summary_write_task  # noqa: E402
from practice.writers import extractive_summary  # noqa: E402
from tests.conftest import lesson_spec, make_user  # noqa: E402
from tests.practice.factories import recorded_session  # noqa: E402
from tests.worker import start_worker, stop_worker  # noqa: E402

N = 12


def main() -> None:
    call_command("migrate", verbosity=0)

    student, teacher = make_user("bench-student"), make_user("bench-teacher", "teacher")
    lesson = lesson_create(spec=lesson_spec(), author=teacher)
    sessions = [recorded_session(student, lesson, exchanges=12) for _ in range(N)]
    conversation = conversation_of(sessions[0], through=23)
    started = time.perf_counter()
    extractive_summary(conversation)
    writer_ms = (time.perf_counter() - started) * 1000
    worker = start_worker_on_scratch()
    try:
        summary_write_task.delay(sessions[0].pk, 1).get(timeout=60)  # warm up: the worker is ready
        latencies = []
        for session in sessions[1:]:
            sent = time.perf_counter()
            summary_write_task.delay(session.pk, 15)
            while not ContextSummary.objects.filter(session=session).exists():
                time.sleep(0.005)
            latencies.append((time.perf_counter() - sent) * 1000)
    finally:
        stop_worker(worker)
    broker = "redis" if settings.CELERY_BROKER_URL.startswith("redis") else "filesystem broker"
    print(json.dumps({
        "n": len(latencies), "median_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(sorted(latencies)[int(len(latencies) * 0.95) - 1], 1), "writer_ms": round(writer_ms, 2),
        "broker": broker,
    }))  # fmt: skip


def start_worker_on_scratch():
    os.environ["DATABASE_URL"] = f"sqlite:///{settings.DATABASES['default']['NAME']}"
    return start_worker()


if __name__ == "__main__":
    main()
