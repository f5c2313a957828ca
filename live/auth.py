"""Who is at the other end of a WebSocket: the user of the Django session in its cookie, looked up once,
at the handshake.

Channels' AuthMiddlewareStack finds the same user, but its session middleware also wraps the send of
every frame the consumer sends afterwards (to save a session that changed, which a live socket never
does): a cost on each of fifty audio frames a second, for nothing.
"""

from importlib import import_module

from channels.auth import get_user
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.cookie import parse_cookie

from .outages import OUTAGES


class SessionUserMiddleware:
    """Adds `cookies`, `session` (read only) and `user` (AnonymousUser when nobody is logged in) to the scope;
    when the sessions' database does not answer, `outage` too (the socket then refuses with a retry code)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    async def __call__(self, scope, receive, send):
        header = "; ".join(value.decode("latin1") for name, value in scope.get("headers", ()) if name == b"cookie")
        cookies = parse_cookie(header)
        session = self.session_store(session_key=cookies.get(settings.SESSION_COOKIE_NAME))
        scope = {**scope, "cookies": cookies, "session": session}
        try:
            scope["user"] = await get_user(scope)
        except OUTAGES as exc:
            scope["user"], scope["outage"] = AnonymousUser(), exc
        return await self.inner(scope, receive, send)
