"""WebSocket routes (browser protocol v1, docs/protocol.md)."""

from django.urls import path

from .consumers import LiveSessionConsumer

websocket_urlpatterns = [
    path("ws/sessions/<int:session_id>/", LiveSessionConsumer.as_asgi()),
]
