"""WebSocket routes (browser protocol v1, docs/protocol.md)."""

websocket_urlpatterns: list = []
