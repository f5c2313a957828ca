"""Prometheus metrics (/metrics, config/metrics/; docs/deploy.md, "Metrics").

METRICS_TOKEN: the bearer token a scraper sends; without one set, /metrics answers 404, as if absent.
PROMETHEUS_MULTIPROC_DIR: the folder where the processes of one machine (Daphne processes, Celery's worker
children) keep their numbers, read together by /metrics. prometheus-client reads it from the environment
when it loads, so it is an environment variable, not only a setting; empty it when the machine boots (a
tmpfs, or systemd's RuntimeDirectory), never while a process runs. CELERY_METRICS_PORT: a worker on a
machine without an app process serves its own numbers there (on CELERY_METRICS_ADDRESS, 127.0.0.1 unless set).
"""

from .env import env

METRICS_TOKEN: str = env.str("METRICS_TOKEN", default="")
PROMETHEUS_MULTIPROC_DIR: str = env.str("PROMETHEUS_MULTIPROC_DIR", default="")
CELERY_METRICS_PORT: int = env.int("CELERY_METRICS_PORT", default=0)
CELERY_METRICS_ADDRESS: str = env.str("CELERY_METRICS_ADDRESS", default="127.0.0.1")
