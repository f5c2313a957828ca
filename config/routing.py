"""WebSocket routes (browser protocol v1, docs/protocol.md)."""

from django.urls import path

from live.consumers.session import live_session_socket
from live.consumers.watch import SessionWatchConsumer

websocket_urlpatterns = [
    path("ws/sessions/<int:session_id>/", live_session_socket),
    path("ws/watch/<int:session_id>/", SessionWatchConsumer.as_asgi()),
]
