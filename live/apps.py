"""Live: the Django host of the tutor engine (WebSocket consumers, the session host, the store)."""

from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "Live sessions"
