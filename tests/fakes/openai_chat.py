"""A local stand-in for OpenAI's `POST /v1/chat/completions`, used by the text model (summaries, reports).

A stdlib HTTP server on its own thread. Like the real endpoint it wants a Bearer key, or with
`auth="api-key"` Azure's `api-key` header (else 401, openai_auth.py), a model and a non-empty list of
messages, and refuses a request field it does not know with "Unrecognized request argument supplied".
It records every request and answers with `text` and its usage, or with the next scripted failure.
"""

import json
import math
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .openai_auth import Auth, refusal

_FIELDS = {
    "model", "messages", "max_completion_tokens", "max_tokens", "temperature", "top_p", "n", "stop",
    "response_format", "stream", "stream_options", "user", "presence_penalty", "frequency_penalty", "seed",
    "tools", "tool_choice", "parallel_tool_calls", "store", "metadata", "reasoning_effort", "logprobs",
    "top_logprobs", "logit_bias", "service_tier", "modalities", "audio", "prediction", "verbosity",
    "prompt_cache_key", "safety_identifier",
}  # fmt: skip
_ROLES = ("system", "developer", "user", "assistant", "tool")


@dataclass(frozen=True)
class Failure:
    """One scripted error answer, as the real endpoint sends it."""

    status: int
    message: str
    code: str | None = None
    kind: str = "invalid_request_error"


@dataclass(frozen=True)
class ChatRequest:
    path: str
    headers: dict[str, str]  # names lower-cased
    body: dict[str, Any]


class FakeChatCompletions:
    def __init__(
        self, *, api_key: str = "sk-test", auth: Auth = "bearer", text: str = "The student ordered a coffee."
    ) -> None:
        self.api_key = api_key
        self.auth = auth
        self.text = text
        self.cached_tokens = 0
        self.failures: deque[Failure] = deque()
        self.requests: list[ChatRequest] = []
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._http.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> "FakeChatCompletions":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._http.shutdown()
        self._http.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def answer(self, request: ChatRequest) -> tuple[int, dict[str, Any]]:
        self.requests.append(request)
        if request.path != "/v1/chat/completions":
            return 404, _error(Failure(404, f"Invalid URL (POST {request.path})"))
        if (refused := refusal(_Headers(request.headers), auth=self.auth, api_key=self.api_key)) is not None:
            return 401, refused
        refused = _check(request.body)
        if refused is not None:
            return refused.status, _error(refused)
        if self.failures:
            failure = self.failures.popleft()
            return failure.status, _error(failure)
        prompt = sum(len(str(m.get("content", ""))) for m in request.body["messages"])
        prompt_tokens, completion_tokens = math.ceil(prompt / 4), math.ceil(len(self.text) / 4)
        return 200, {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1_760_000_000,
            "model": f"{request.body['model']}-2025-04-14",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": self.text, "refusal": None},
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
                "prompt_tokens_details": {"cached_tokens": min(self.cached_tokens, prompt_tokens), "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
            },
        }


def _check(body: Any) -> Failure | None:
    if not isinstance(body, dict):
        return Failure(400, "We could not parse the JSON body of your request.")
    for key in body:
        if key not in _FIELDS:
            return Failure(400, f"Unrecognized request argument supplied: {key}")
    if not isinstance(body.get("model"), str) or not body["model"]:
        return Failure(400, "you must provide a model parameter")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return Failure(400, "[] is too short - 'messages'", "invalid_value")
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in _ROLES or "content" not in message:
            return Failure(400, f"Invalid value for 'messages[{index}]'.", "invalid_value")
    return None


def _error(failure: Failure) -> dict[str, Any]:
    return {"error": {"message": failure.message, "type": failure.kind, "param": None, "code": failure.code}}


class _Headers(dict):
    """The request's headers (recorded lower-cased), read case-insensitively as HTTP wants."""

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, answer = self.server.fake.answer(ChatRequest(self.path, headers, body))  # type: ignore[attr-defined]
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the recorded requests are what tests look at."""
