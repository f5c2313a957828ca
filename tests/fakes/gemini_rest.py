"""A fake Gemini REST service over HTTPS: `generateContent` for the text model (summaries and reports) and
`GET /{version}/models`, the list of models (`manage.py tutor_models`, `make smoke`).

Strict like the service: the key comes in `x-goog-api-key` (a bad one is a 400 INVALID_ARGUMENT, as the
real API answers), an unknown or shut-down model is a 404 NOT_FOUND, unknown fields are a 400; errors are the
service's JSON `{"error": {"code", "message", "status"}}`. A `responseSchema` (or `responseJsonSchema`) with
`responseMimeType: application/json` gets JSON of that shape, made from `reply`, unless told to answer badly
(`unusable`). It can be told to answer the next calls with an error, and it logs the tokens each call billed.
"""

import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from .model_lists import GEMINI_SHUT_DOWN_TEXT_MODELS, GEMINI_TEXT_MODELS, gemini_listing
from .tls import TestCertificate

ROUTE = re.compile(r"^/(v1|v1beta|v1alpha)/models/([\w.\-]+):generateContent$")
LIST = re.compile(r"^/(v1|v1beta|v1alpha)/models$")
STATUS = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED"}
STATUS.update({500: "INTERNAL", 503: "UNAVAILABLE"})
BODY_FIELDS = frozenset({"contents", "systemInstruction", "generationConfig", "safetySettings", "tools"})
GENERATION_FIELDS = frozenset({
    "maxOutputTokens", "temperature", "topP", "topK", "candidateCount", "stopSequences", "responseMimeType",
    "responseSchema", "responseJsonSchema", "thinkingConfig", "seed", "presencePenalty", "frequencyPenalty",
})  # fmt: skip
# How the fake answers a call that asks for JSON of a schema: as asked; in prose, ignoring the schema (what a
# proxy or an older model does); or cut off by the output limit mid-JSON (finishReason MAX_TOKENS, as real).
Answer = Literal["json", "prose", "truncated"]


@dataclass(frozen=True)
class FakeRestOptions:
    api_key: str = "test-key"
    models: frozenset[str] = GEMINI_TEXT_MODELS
    reply: str = "The student ordered a coffee and a croissant, and asked for the bill."
    answer: Answer = "json"
    shut_down: frozenset[str] = GEMINI_SHUT_DOWN_TEXT_MODELS
    live_models: frozenset[str] = frozenset()  # listed for bidiGenerateContent (the real service lists both)


@dataclass
class RestCall:
    model: str
    body: dict[str, Any]
    billed: dict[str, int] = field(default_factory=dict)  # the usageMetadata of the answer, if it was billed


@dataclass
class FakeGeminiRest:
    """`with FakeGeminiRest(certificate) as fake:` serves on https://127.0.0.1:<port>."""

    certificate: TestCertificate
    options: FakeRestOptions = field(default_factory=FakeRestOptions)
    calls: list[RestCall] = field(default_factory=list)
    _failures: deque[tuple[int, str]] = field(default_factory=deque)
    _bad_answers: deque[Answer] = field(default_factory=deque)
    _server: ThreadingHTTPServer | None = None

    def __enter__(self) -> "FakeGeminiRest":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                status, payload = fake.answer(self.path, self.headers.get("x-goog-api-key"), self.rfile.read(length))
                self._reply(status, payload)

            def do_GET(self) -> None:
                self._reply(*fake.listing(self.path, self.headers.get("x-goog-api-key")))

            def _reply(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: pytest shows failures, not every request."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.socket = self.certificate.server_context().wrap_socket(self._server.socket, server_side=True)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    @property
    def billed_tokens(self) -> int:
        """Every token the fake billed: what the usage rows must add up to."""
        return sum(call.billed.get("totalTokenCount", 0) for call in self.calls)

    def fail_next(self, status: int, message: str) -> None:
        self._failures.append((status, message))

    def answer_badly(self, count: int, how: Answer = "prose") -> None:
        """The next `count` calls that get an answer get it in this bad way (billed all the same)."""
        self._bad_answers.extend([how] * count)

    def listing(self, path: str, api_key: str | None) -> tuple[int, dict[str, Any]]:
        url = urlsplit(path)
        if LIST.match(url.path) is None:
            return _error(404, f"Path {url.path} not found.")
        if api_key != self.options.api_key:
            return _error(400, "API key not valid. Please pass a valid API key.")
        query = parse_qs(url.query)
        size = int((query.get("pageSize") or ["0"])[0]) or None
        listed = gemini_listing(
            self.options.live_models,
            shut_down=self.options.shut_down,
            page_size=size,
            page_token=(query.get("pageToken") or [""])[0],
        )
        listed["models"] = [m for m in listed["models"] if m["name"].removeprefix("models/") in self._offered()]
        return 200, listed

    def _offered(self) -> set[str]:
        return (set(self.options.models) | set(self.options.live_models)) - set(self.options.shut_down)

    def answer(self, path: str, api_key: str | None, raw: bytes) -> tuple[int, dict[str, Any]]:
        route = ROUTE.match(path)
        if route is None:
            return _error(404, f"Path {path} not found.")
        if api_key != self.options.api_key:
            return _error(400, "API key not valid. Please pass a valid API key.")
        model = route.group(2)
        if model not in self.options.models or model in self.options.shut_down:
            return _error(
                404,
                f"models/{model} is not found for API version {route.group(1)}, or is not supported for "
                "generateContent. Call ListModels to see the list of available models and their supported methods.",
            )
        try:
            body = json.loads(raw)
        except ValueError:
            return _error(400, "Invalid JSON payload received.")
        unknown = set(body) - BODY_FIELDS | set(body.get("generationConfig") or {}) - GENERATION_FIELDS
        if unknown or not body.get("contents"):
            return _error(400, f"Invalid JSON payload received. Unknown or missing fields: {sorted(unknown)}.")
        config = body.get("generationConfig") or {}
        schema = config.get("responseJsonSchema") or config.get("responseSchema")
        if schema is not None and config.get("responseMimeType") != "application/json":
            return _error(400, "responseSchema needs responseMimeType application/json.")
        call = RestCall(model=model, body=body)
        self.calls.append(call)
        if self._failures:
            return _error(*self._failures.popleft())
        prompt = sum(len(part.get("text", "")) for c in body["contents"] for part in c.get("parts", []))
        system = sum(len(part.get("text", "")) for part in body.get("systemInstruction", {}).get("parts", []))
        limit = config.get("maxOutputTokens", 8192)
        text, finish = self._text(schema, limit)
        prompt_tokens, output_tokens = (prompt + system) // 4 + 1, min(len(text) // 4 + 1, limit)
        call.billed = {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": output_tokens,
            "totalTokenCount": prompt_tokens + output_tokens,
        }
        return 200, {
            "candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": finish}],
            "usageMetadata": call.billed,
            "modelVersion": model,
        }

    def _text(self, schema: dict[str, Any] | None, limit: int) -> tuple[str, str]:
        """The answer's text and finish reason: the reply, as JSON of the schema when one was asked for."""
        answer = self._bad_answers.popleft() if self._bad_answers else self.options.answer
        if schema is None or answer == "prose":
            words = self.options.reply.split()
            return " ".join(words[:limit]), "STOP" if len(words) <= limit else "MAX_TOKENS"
        text = json.dumps(_shaped(schema, self.options.reply), ensure_ascii=False)
        if answer == "truncated" or len(text) > 4 * limit:  # about four characters a token
            return text[: min(len(text) // 2, 4 * limit)], "MAX_TOKENS"
        return text, "STOP"


def _shaped(schema: dict[str, Any], reply: str) -> Any:
    """A value of the schema (upper- or lower-case types, as responseSchema and responseJsonSchema spell them)."""
    kind = str(schema.get("type", "")).lower()
    if kind == "object":
        return {name: _shaped(sub, reply) for name, sub in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [_shaped(schema.get("items") or {"type": "string"}, reply)]
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    return reply


def _error(status: int, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"error": {"code": status, "message": message, "status": STATUS.get(status, "UNKNOWN")}}
