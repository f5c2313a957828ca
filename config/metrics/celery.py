"""Celery's numbers (docs/deploy.md, "Metrics"): each task's duration and its failures, counted from Celery's
signals in whichever worker process runs it. A worker on a machine of its own serves them at
CELERY_METRICS_PORT; one beside an app process shares its PROMETHEUS_MULTIPROC_DIR and shows in its /metrics."""

import time

from celery.signals import task_failure, task_postrun, task_prerun, worker_ready
from django.conf import settings
from prometheus_client import Counter, Histogram, start_http_server

from .numbers import gathered

task_seconds = Histogram(
    "tutor_celery_task_seconds",
    "How long each Celery task ran, by task and final state.",
    ["task", "state"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0),
)
task_failures = Counter("tutor_celery_task_failures", "Celery tasks that raised, by task.", ["task"])
_started: dict[str, float] = {}


@task_prerun.connect
def _task_started(task_id: str, **_kwargs) -> None:
    _started[task_id] = time.monotonic()


@task_postrun.connect
def _task_ended(task_id: str, task, state: str | None = None, **_kwargs) -> None:
    started = _started.pop(task_id, None)
    if started is not None:
        task_seconds.labels(task.name, state or "UNKNOWN").observe(time.monotonic() - started)


@task_failure.connect
def _task_failed(sender=None, **_kwargs) -> None:
    task_failures.labels(getattr(sender, "name", "unknown")).inc()


@worker_ready.connect
def _serve_numbers(**_kwargs) -> None:
    """A worker with a port of its own serves its (and its children's) numbers there."""
    if settings.CELERY_METRICS_PORT:
        start_http_server(settings.CELERY_METRICS_PORT, settings.CELERY_METRICS_ADDRESS, registry=gathered())
