"""`/metrics`: the numbers an operator watches, for Prometheus (docs/deploy.md, "Metrics").

Closed unless METRICS_TOKEN is set, and then only to a scraper that sends it as a bearer token: without a
token set the page is not there (404); with a wrong or missing one it is refused (403). What it shows: the
live path's numbers (live/metrics.py), Celery's (celery.py) and what each provider cost this
month and the last, summed by the database at each scrape. With PROMETHEUS_MULTIPROC_DIR set, the numbers
of every process of this machine that writes there are read together; a process that died (a Daphne killed
with -9) has its live gauges dropped at the next scrape.
"""

import hmac
from collections.abc import Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from practice.selectors.costs import spend_by_provider

from .numbers import gathered


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return HttpResponseForbidden("A metrics token is needed.", content_type="text/plain")
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)


def registry() -> CollectorRegistry:
    """What this machine's processes counted, and the cost."""
    found = gathered()
    found.register(CostCollector())
    return found


class CostCollector(Collector):
    """What each provider cost, this month and the last (`tutor_cost_usd{provider,month}`)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        labels = ["provider", "month"]
        cost = GaugeMetricFamily("tutor_cost_usd", "What the tutor services cost (priced usage).", labels=labels)
        unpriced = GaugeMetricFamily("tutor_cost_unpriced", "1 where some usage had no known price.", labels=labels)
        for (provider, month), spend in sorted(spend_by_provider().items()):
            values = [provider, month.strftime("%Y-%m")]
            cost.add_metric(values, float(spend.usd))
            unpriced.add_metric(values, 1.0 if spend.unpriced else 0.0)
        yield cost
        yield unpriced
