"""A fake Gemini REST `generateContent` over HTTPS, for the text model (summaries and reports).

Strict like the service: the key comes in `x-goog-api-key` (a bad one is a 400 INVALID_ARGUMENT, as the
real API answers), an unknown model is a 404, unknown fields are a 400; errors are the service's JSON
`{"error": {"code", "message", "status"}}`. It can be told to answer the next calls with an error.
"""

import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .tls import TestCertificate

ROUTE = re.compile(r"^/(v1|v1beta|v1alpha)/models/([\w.\-]+):generateContent$")
STATUS = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED"}
STATUS.update({500: "INTERNAL", 503: "UNAVAILABLE"})
BODY_FIELDS = frozenset({"contents", "systemInstruction", "generationConfig", "safetySettings", "tools"})


@dataclass(frozen=True)
class FakeRestOptions:
    api_key: str = "test-key"
    models: frozenset[str] = frozenset({"gemini-2.5-flash"})
    reply: str = "The student ordered a coffee and a croissant, and asked for the bill."


@dataclass
class RestCall:
    model: str
    body: dict[str, Any]


@dataclass
class FakeGeminiRest:
    """`with FakeGeminiRest(certificate) as fake:` serves on https://127.0.0.1:<port>."""

    certificate: TestCertificate
    options: FakeRestOptions = field(default_factory=FakeRestOptions)
    calls: list[RestCall] = field(default_factory=list)
    _failures: deque[tuple[int, str]] = field(default_factory=deque)
    _server: ThreadingHTTPServer | None = None

    def __enter__(self) -> "FakeGeminiRest":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                status, payload = fake.answer(self.path, self.headers.get("x-goog-api-key"), self.rfile.read(length))
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

    def fail_next(self, status: int, message: str) -> None:
        self._failures.append((status, message))

    def answer(self, path: str, api_key: str | None, raw: bytes) -> tuple[int, dict[str, Any]]:
        route = ROUTE.match(path)
        if route is None:
            return _error(404, f"Path {path} not found.")
        if api_key != self.options.api_key:
            return _error(400, "API key not valid. Please pass a valid API key.")
        model = route.group(2)
        if model not in self.options.models:
            return _error(404, f"models/{model} is not found for API version {route.group(1)}.")
        try:
            body = json.loads(raw)
        except ValueError:
            return _error(400, "Invalid JSON payload received.")
        unknown = set(body) - BODY_FIELDS
        if unknown or not body.get("contents"):
            return _error(400, f"Invalid JSON payload received. Unknown or missing fields: {sorted(unknown)}.")
        self.calls.append(RestCall(model=model, body=body))
        if self._failures:
            return _error(*self._failures.popleft())
        prompt = sum(len(part.get("text", "")) for c in body["contents"] for part in c.get("parts", []))
        system = sum(len(part.get("text", "")) for part in body.get("systemInstruction", {}).get("parts", []))
        limit = body.get("generationConfig", {}).get("maxOutputTokens", 8192)
        words = self.options.reply.split()
        text, finish = " ".join(words[:limit]), "STOP" if len(words) <= limit else "MAX_TOKENS"
        prompt_tokens, output_tokens = (prompt + system) // 4 + 1, min(len(words), limit)
        return 200, {
            "candidates": [{"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": finish}],
            "usageMetadata": {
                "promptTokenCount": prompt_tokens,
                "candidatesTokenCount": output_tokens,
                "totalTokenCount": prompt_tokens + output_tokens,
            },
            "modelVersion": model,
        }


def _error(status: int, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"error": {"code": status, "message": message, "status": STATUS.get(status, "UNKNOWN")}}
