"""WebSocket routes (browser protocol v1, docs/protocol.md)."""

from django.urls import path

from .consumers import LiveSessionConsumer
from .consumers_watch import SessionWatchConsumer

websocket_urlpatterns = [
    path("ws/sessions/<int:session_id>/", LiveSessionConsumer.as_asgi()),
    path("ws/watch/<int:session_id>/", SessionWatchConsumer.as_asgi()),
]
