"""Fixtures for the live-session app: a browser WebSocket client on the real ASGI application."""

import asyncio
import contextlib
import json
from dataclasses import dataclass, field

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from live import host as live_host
from tests.conftest import configure_tutor

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@dataclass
class Browser:
    """One browser tab's WebSocket, with helpers to read protocol messages."""

    ws: WebsocketCommunicator
    binary: list[bytes]
    texts: list[str] = field(default_factory=list)  # every JSON frame received, in order

    async def send_json(self, message: dict) -> None:
        await self.ws.send_to(text_data=json.dumps(message))

    async def message(self, kind: str | None = None, timeout: float = 60) -> dict:
        """The next JSON message (of `kind`, skipping others); audio frames are kept in `binary`."""
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.ws.receive_output(timeout)
                if frame["type"] == "websocket.close":
                    raise AssertionError(f"socket closed with {frame.get('code')} waiting for {kind}")
                if frame.get("bytes") is not None:
                    self.binary.append(frame["bytes"])
                    continue
                self.texts.append(frame["text"])
                data = json.loads(frame["text"])
                if kind is None or data["type"] == kind:
                    return data

    async def closed_with(self, timeout: float = 60) -> int:
        async with asyncio.timeout(timeout):
            while True:
                frame = await self.ws.receive_output(timeout)
                if frame["type"] == "websocket.close":
                    return frame.get("code")


async def eventually(query, *, timeout: float = 30):
    """Run a database query until it returns something truthy: writes land a moment after events."""
    run = database_sync_to_async(query)
    async with asyncio.timeout(timeout):
        while not (result := await run()):
            await asyncio.sleep(0.02)
    return result


@database_sync_to_async
def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


@pytest.fixture
def fast_offline(settings) -> None:
    """The offline tutor, sending each line at once instead of at speaking pace."""
    configure_tutor(settings, offline={"realtime": False})


async def stop_hosts() -> None:
    """End every session this process hosts, as a browser that went away would."""
    for host in list(live_host.HOSTS.values()):
        host.runner.request_end("disconnected")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(host.runner.done.wait(), timeout=30)


class SocketOpener:
    """Opens browser-like WebSockets (Origin and session cookie) on the real ASGI application."""

    def __init__(self, path: str) -> None:
        self.path = path  # with {session_id}
        self.opened: list[WebsocketCommunicator] = []

    async def __call__(self, user, session_id: int, *, origin=ORIGIN, expect_accept: bool = True) -> Browser:
        headers = [origin] if origin else []
        if user is not None:
            headers.append((b"cookie", await session_cookie(user)))
        ws = WebsocketCommunicator(application, self.path.format(session_id=session_id), headers=headers)
        connected, _ = await ws.connect(timeout=60)
        assert connected == expect_accept
        self.opened.append(ws)
        return Browser(ws, [])

    async def close_all(self) -> None:
        for ws in self.opened:
            with contextlib.suppress(Exception):
                await ws.disconnect()


@pytest.fixture(autouse=True)
async def hosts_stopped():
    """Every session a test hosted ends with it, before its event loop closes."""
    yield
    await stop_hosts()


@pytest.fixture
async def open_socket():
    """Open browser WebSockets to sessions, run by whatever provider the settings choose."""
    opener = SocketOpener("/ws/sessions/{session_id}/")
    yield opener
    await stop_hosts()
    await opener.close_all()


@pytest.fixture
def connect(fast_offline, open_socket):
    """Browser WebSockets to sessions run by the (fast) offline tutor."""
    return open_socket
