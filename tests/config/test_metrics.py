"""/metrics: closed without its token, the cost by provider and month, every process of the machine read
together (live gauges of a dead process dropped), and Celery's task numbers."""

import subprocess
import sys
from decimal import Decimal

import pytest
from prometheus_client.parser import text_string_to_metric_families

from config.celery import app
from practice.models import TutorSession, UsageRecord
from practice.services.sessions import session_create

pytestmark = pytest.mark.django_db

TOKEN = "a-metrics-token-for-tests"


def scraped(client, token: str = TOKEN) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_without_a_token_set_there_is_no_page(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", TOKEN, f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_a_missing_or_wrong_token_is_refused(client, settings, header):
    settings.METRICS_TOKEN = TOKEN
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    assert client.get("/metrics", **extra).status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_a_signed_in_staff_member_without_the_token_is_refused_too(client, settings, staff):
    settings.METRICS_TOKEN = TOKEN
    client.force_login(staff)
    assert client.get("/metrics").status_code == 403


def test_the_cost_of_each_provider_this_month(client, settings, student, lesson):
    settings.METRICS_TOKEN = TOKEN
    session = session_create(student=student, lesson=lesson)
    for provider, usd in (("gemini", "0.25"), ("gemini", "0.50"), ("openai", "1.10"), ("openai", None)):
        UsageRecord.objects.create(session=session, provider=provider, model="m", cost_usd=usd and Decimal(usd))
    month = UsageRecord.objects.first().created_at.strftime("%Y-%m")
    numbers = scraped(client)
    assert numbers[("tutor_cost_usd", (("month", month), ("provider", "gemini")))] == pytest.approx(0.75)
    assert numbers[("tutor_cost_usd", (("month", month), ("provider", "openai")))] == pytest.approx(1.10)
    assert numbers[("tutor_cost_unpriced", (("month", month), ("provider", "openai")))] == 1
    assert numbers[("tutor_cost_unpriced", (("month", month), ("provider", "gemini")))] == 0
    assert TutorSession.objects.count() == 1


COUNTING = """
import sys
from live import metrics
metrics.frames.labels("in", "audio").inc(int(sys.argv[1]))
metrics.live_sessions.labels("gemini").set(int(sys.argv[2]))
metrics.reply_seconds.labels("gemini").observe(0.4)
if sys.argv[3] == "stay":
    print("counted", flush=True)
    sys.stdin.read()
"""


def test_the_processes_of_the_machine_are_read_together(client, settings, tmp_path):
    """Two server processes share the folder: their frames add up; the live sessions of one that died are
    no longer counted, those of one alive are."""
    settings.METRICS_TOKEN = TOKEN
    settings.PROMETHEUS_MULTIPROC_DIR = str(tmp_path)
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    run = [sys.executable, "-c", COUNTING]
    alive = subprocess.Popen([*run, "30", "3", "stay"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert alive.stdout.readline() == b"counted\n"
        subprocess.run([*run, "12", "5", "leave"], env=env, check=True)
        numbers = scraped(client)
        assert numbers[("tutor_frames_total", (("direction", "in"), ("kind", "audio")))] == 42
        assert numbers[("tutor_live_sessions", (("provider", "gemini"),))] == 3
        assert numbers[("tutor_reply_seconds_count", (("provider", "gemini"),))] == 2
    finally:
        alive.stdin.close()
        alive.wait()
    assert ("tutor_live_sessions", (("provider", "gemini"),)) not in scraped(client)


def test_celery_tasks_are_timed_and_their_failures_counted(client, settings, monkeypatch):
    """As a worker runs them: a failure is recorded, not raised to the caller."""
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)

    @app.task(name="tests.metrics_probe")
    def probe(fail: bool) -> None:
        if fail:
            raise ValueError("probe failed")

    settings.METRICS_TOKEN = TOKEN
    before = scraped(client)
    probe.delay(False)
    assert probe.delay(True).failed()
    after = scraped(client)

    def grew(name: str, labels: tuple) -> float:
        return after.get((name, labels), 0) - before.get((name, labels), 0)

    assert grew("tutor_celery_task_seconds_count", (("state", "SUCCESS"), ("task", "tests.metrics_probe"))) == 1
    assert grew("tutor_celery_task_seconds_count", (("state", "FAILURE"), ("task", "tests.metrics_probe"))) == 1
    assert grew("tutor_celery_task_failures_total", (("task", "tests.metrics_probe"),)) == 1
