"""Health for operators and load balancers: GET /healthz answers 200 when the database and the channel
layer answer, else 503; and the Celery `ping` task, with which `make run` and operators see that a worker
is consuming."""

import time

from asgiref.sync import sync_to_async
from celery import shared_task
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
async def health(request):
    checks: dict[str, str] = {}
    started = time.perf_counter()
    try:
        await _db_ok()
        checks["database"] = "ok"
    except Exception as exc:  # the point is to report any failure, not to raise it
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "health.ping"})
        await layer.receive(channel)
        checks["channel_layer"] = "ok"
    except Exception as exc:
        checks["channel_layer"] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    body = {
        "status": "ok" if healthy else "degraded",
        "checks": checks,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if healthy else 503)


async def _db_ok() -> None:
    def query() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    await sync_to_async(query, thread_sensitive=True)()


@shared_task
def ping() -> str:
    return "pong"
