"""Prometheus metrics: what this machine's processes counted (numbers.py), Celery's (celery.py), the endpoint
with the cost (view.py). docs/deploy.md, "Metrics".

The multi-process folder is made here if it is missing: this package is loaded (through config/celery.py) before
any metric is, and prometheus-client would fail on the first metric it cannot write there."""

import os
from pathlib import Path

if folder := os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    Path(folder).mkdir(parents=True, exist_ok=True)
