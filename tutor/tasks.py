"""Celery tasks: thin wrappers that load ids and call one service."""

from celery import shared_task


@shared_task
def ping() -> str:
    """Answers "pong": lets `make run` and operators see that a worker is consuming."""
    return "pong"
