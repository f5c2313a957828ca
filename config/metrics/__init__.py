"""Prometheus metrics: what this machine's processes counted (numbers.py), Celery's (celery.py), the endpoint
with the cost (view.py). docs/deploy.md, "Metrics"."""
