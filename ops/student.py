"""The student's side of a smoke check: log in, start a session through the HTTP API (`POST /api/sessions/`),
then one spoken and one typed exchange over the session's socket (browser protocol v1, docs/protocol.md),
timed as a student would wait for the tutor's voice."""

import asyncio
import contextlib
import http.cookiejar
import itertools
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from tutor.audio import bytes_for_ms, silence
from tutor.providers.offline.tts import speak

from .failure import SmokeFailure

INPUT_RATE = 16_000
FRAME_MS = 40  # what the live page sends
HTTP_TIMEOUT = 15.0
READY_TIMEOUT = 15.0
ANSWER_TIMEOUT = 30.0  # a greeting or an answer
END_TIMEOUT = 15.0
# What a fatal error's code means to an operator (tutor/session/errors.py words it for the student).
ERROR_KINDS = {"provider_refused": "refused", "provider_unavailable": "unreachable"}


@dataclass(frozen=True)
class Lines:
    """What the student says and then types, in the lesson's language."""

    language: str
    spoken: str
    typed: str


@dataclass(frozen=True)
class Exchange:
    """What one session measured: seconds from the end of the student's speech (its last frame sent) and from
    the typed message to the first frame of the tutor's voice, and what the service heard the student say."""

    after_speech: float
    after_typed: float
    heard: tuple[str, ...]


class Browser:
    """The HTTP side, as a browser does it: cookies kept, the CSRF token sent back."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def log_in(self, username: str, password: str) -> None:
        login = f"{self.base_url}/accounts/login/"
        self._open(urllib.request.Request(login))  # the CSRF cookie
        form = {"username": username, "password": password, "csrfmiddlewaretoken": self._cookie("csrftoken")}
        self._open(urllib.request.Request(login, data=urllib.parse.urlencode(form).encode()))
        if not self._cookie("sessionid"):
            raise SmokeFailure(f"could not log in as the scratch student {username}")

    def start_session(self, lesson_id: int) -> dict:
        """`{"id", "ws_url", "provider", "page_url"}` of a new session of the lesson."""
        request = urllib.request.Request(
            f"{self.base_url}/api/sessions/",
            data=json.dumps({"lesson": lesson_id}).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": self._cookie("csrftoken")},
            method="POST",
        )
        status, body = self._open(request)
        if status != 201:
            raise SmokeFailure(f"POST /api/sessions/ answered {status}: {body[:300]!r}")
        return json.loads(body)

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)

    def _cookie(self, name: str) -> str:
        return next((cookie.value for cookie in self.cookies if cookie.name == name), "")

    def _open(self, request: urllib.request.Request) -> tuple[int, bytes]:
        try:
            with self.opener.open(request, timeout=HTTP_TIMEOUT) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError as error:  # refused, reset, timed out
            raise SmokeFailure(f"{request.get_method()} {request.full_url} failed: {error}") from error


class Socket:
    """The session's socket: every message kept with when it came, and when each frame of tutor audio came."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.messages: list[tuple[float, dict]] = []
        self.audio_at: list[float] = []
        self.closed = False
        self._news = asyncio.Event()

    async def read(self) -> None:
        try:
            async for frame in self.ws:
                now = time.monotonic()
                if isinstance(frame, bytes):
                    self.audio_at.append(now)
                else:
                    self.messages.append((now, json.loads(frame)))
                self._news.set()
        except ConnectionClosed:
            pass
        finally:
            self.closed = True
            self._news.set()

    async def until(self, kind: str, *, after: float, what: str, within: float = ANSWER_TIMEOUT) -> dict:
        """The first `kind` message that came after `after`. A fatal error or a closed socket fails at once."""
        deadline = time.monotonic() + within
        while True:
            found = next((m for at, m in self.messages if at >= after and m["type"] == kind), None)
            self.raise_if_broken(after=after, what=what)
            if found is not None:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SmokeFailure(f"timeout: no {what} within {within:g} s")
            self._news.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._news.wait(), remaining)

    def raise_if_broken(self, *, after: float, what: str) -> None:
        """A fatal error since `after` (in the server's words), or a socket closed before `what` came."""
        for at, message in self.messages:
            if at >= after and message["type"] == "error" and message.get("fatal"):
                meaning = ERROR_KINDS.get(message["code"], "error")
                raise SmokeFailure(f"{meaning}: the server said {message['code']}")
        if self.closed:
            raise SmokeFailure(f"the socket closed ({self.ws.close_code} {self.ws.close_reason}) before {what}")

    def first_audio_after(self, moment: float, *, what: str) -> float:
        heard = [at for at in self.audio_at if at >= moment]
        if not heard:
            raise SmokeFailure(f"no audio: the tutor answered {what} without a sound")
        return heard[0] - moment

    def heard(self, *, before: float) -> tuple[str, ...]:
        """The student's final transcripts before `before`: what the service made of the speech."""
        return tuple(
            m["text"]
            for at, m in self.messages
            if at < before and m["type"] == "transcript" and m["role"] == "student" and m["final"]
        )


async def converse(base_url: str, cookies: str, session: dict, provider: str, lines: Lines) -> Exchange:
    """Wait for the greeting, say `lines.spoken` (then keep the microphone open on silence, as the page does),
    type `lines.typed`, and end the session once each was answered."""
    speech = _frames(speak(lines.spoken, language=lines.language, rate=INPUT_RATE))
    url = base_url.replace("http", "ws", 1) + session["ws_url"]
    try:
        async with connect(url, additional_headers={"Cookie": cookies, "Origin": base_url}, max_size=None) as ws:
            socket = Socket(ws)
            reader = asyncio.create_task(socket.read())
            exchange = await _exchange(socket, speech, provider, lines)
        await reader
    except (OSError, InvalidHandshake, ConnectionClosed) as error:
        raise SmokeFailure(f"the session's socket failed: {error}") from error
    return exchange


async def _exchange(socket: Socket, speech: list[bytes], provider: str, lines: Lines) -> Exchange:
    opened = time.monotonic()
    ready = await socket.until("ready", after=0.0, what="the ready message", within=READY_TIMEOUT)
    if ready["provider"] != provider:
        raise SmokeFailure(f"the session runs on {ready['provider']}, not {provider}")
    await socket.until("turn_complete", after=0.0, what="greeting from the tutor")

    spoke: asyncio.Future[float] = asyncio.get_running_loop().create_future()
    microphone = asyncio.create_task(_microphone(socket.ws, speech, spoke))
    try:
        await asyncio.wait({spoke, microphone}, timeout=len(speech) * FRAME_MS / 1000 + 5)
        if not spoke.done():
            socket.raise_if_broken(after=opened, what="the end of the speech")
            raise SmokeFailure("timeout: the speech could not be sent in real time")
        speech_over = spoke.result()
        await socket.until("turn_complete", after=speech_over, what="answer to the spoken turn")
        after_speech = socket.first_audio_after(speech_over, what="the spoken turn")

        typed_at = time.monotonic()
        await socket.ws.send(json.dumps({"type": "text", "text": lines.typed}))
        await socket.until("turn_complete", after=typed_at, what="answer to the typed message")
        after_typed = socket.first_audio_after(typed_at, what="the typed message")
    finally:
        microphone.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
            await microphone
    ending = time.monotonic()
    await socket.ws.send(json.dumps({"type": "end"}))
    await socket.until("ended", after=ending, what="the end of the session", within=END_TIMEOUT)
    return Exchange(after_speech=after_speech, after_typed=after_typed, heard=socket.heard(before=typed_at))


def _frames(pcm: bytes) -> list[bytes]:
    """40 ms frames, the last one padded with silence to its full length."""
    size = bytes_for_ms(FRAME_MS, INPUT_RATE)
    pcm += bytes(-len(pcm) % size)
    return [pcm[start : start + size] for start in range(0, len(pcm), size)]


async def _microphone(ws: ClientConnection, speech: list[bytes], spoke: asyncio.Future[float]) -> None:
    """The speech, then silence until cancelled, a frame every 40 ms on a steady clock; `spoke` gets the
    moment the last frame of speech was sent."""
    quiet = silence(FRAME_MS, INPUT_RATE)
    started = time.monotonic()
    for number in itertools.count():
        await ws.send(speech[number] if number < len(speech) else quiet)
        if number == len(speech) - 1:
            spoke.set_result(time.monotonic())
        await asyncio.sleep(max(0.0, started + (number + 1) * FRAME_MS / 1000 - time.monotonic()))
