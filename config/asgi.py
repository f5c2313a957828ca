"""The ASGI application (Daphne, or uvicorn): Django for HTTP, Channels for the live-session WebSockets, and
a lifespan that hands the live sessions off when the server stops; at start, the writes a killed process left in
its journal are written (live/journal.py)."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from live.auth import SessionUserMiddleware  # noqa: E402
from live.lifespan import lifespan  # noqa: E402
from live.store import replay_journal  # noqa: E402

from .routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(SessionUserMiddleware(URLRouter(websocket_urlpatterns))),
        "lifespan": lifespan,
    }
)
replay_journal()  # what a process killed with writes waiting left in its journal
# Everything loaded so far (Django, the apps, the SDKs) lives as long as the process: out of the
# collector's sight, a full collection no longer walks it, which at 100 live sessions had paused the
# event loop for up to a few hundred milliseconds at a time (docs/performance.md).
gc.freeze()
