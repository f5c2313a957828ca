"""A local stand-in for OpenAI's `POST /v1/chat/completions`, used by the text model (summaries, reports), and its
`GET /v1/models`, the list of models with their announced shutdown (`manage.py tutor_models`).

A stdlib HTTP server on its own thread. Like the real endpoint it wants a Bearer key, or with
`auth="api-key"` Azure's `api-key` header (else 401, openai_auth.py), a model and a non-empty list of
messages, and refuses a request field it does not know with "Unrecognized request argument supplied"; a model
it does not offer (shut down, or never was) is a 404 `model_not_found`. A `response_format` of type `json_schema`
gets JSON of that schema made from `text`, unless told to answer badly (`answer`: "prose" ignores the schema,
"truncated" is cut off at the limit with finish_reason "length"). It records every request and the usage it
billed, and answers with the next scripted failure first.
"""

import json
import math
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .model_lists import OPENAI_MODELS, openai_listing
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
        self,
        *,
        api_key: str = "sk-test",
        auth: Auth = "bearer",
        text: str = "The student ordered a coffee.",
        shut_down: frozenset[str] = frozenset(),
    ) -> None:
        self.api_key = api_key
        self.auth = auth
        self.text = text
        self.answer_mode = "json"  # or "prose", "truncated": see the module's docstring
        self.cached_tokens = 0
        self.shut_down = shut_down  # models it no longer offers, on top of those it never listed
        self.failures: deque[Failure] = deque()
        self.requests: list[ChatRequest] = []
        self.billed: list[dict[str, Any]] = []  # the usage of every answer it billed
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

    @property
    def billed_tokens(self) -> int:
        return sum(usage["total_tokens"] for usage in self.billed)

    def offers(self, model: str) -> bool:
        return model in OPENAI_MODELS and model not in self.shut_down

    def listing(self, request: ChatRequest) -> tuple[int, dict[str, Any]]:
        if request.path != "/v1/models":
            return 404, _error(Failure(404, f"Invalid URL (GET {request.path})"))
        if (refused := refusal(_Headers(request.headers), auth=self.auth, api_key=self.api_key)) is not None:
            return 401, refused
        return 200, openai_listing(shut_down=self.shut_down)

    def answer(self, request: ChatRequest) -> tuple[int, dict[str, Any]]:
        self.requests.append(request)
        if request.path != "/v1/chat/completions":
            return 404, _error(Failure(404, f"Invalid URL (POST {request.path})"))
        if (refused := refusal(_Headers(request.headers), auth=self.auth, api_key=self.api_key)) is not None:
            return 401, refused
        refused = _check(request.body)
        if refused is not None:
            return refused.status, _error(refused)
        model = request.body["model"]
        if not self.offers(model):
            message = f"The model `{model}` does not exist or you do not have access to it."
            return 404, _error(Failure(404, message, "model_not_found"))
        if self.failures:
            failure = self.failures.popleft()
            return failure.status, _error(failure)
        text, finish = self._content(request.body)
        prompt = sum(len(str(m.get("content", ""))) for m in request.body["messages"])
        prompt_tokens, completion_tokens = math.ceil(prompt / 4), math.ceil(len(text) / 4)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": min(self.cached_tokens, prompt_tokens), "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
        }
        self.billed.append(usage)
        return 200, {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1_760_000_000,
            "model": f"{request.body['model']}-2025-04-14",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "finish_reason": finish,
                }
            ],
            "usage": usage,
        }

    def _content(self, body: dict[str, Any]) -> tuple[str, str]:
        """The answer and its finish reason: `text`, as JSON of the schema when one was asked for."""
        response_format = body.get("response_format") or {}
        if response_format.get("type") != "json_schema" or self.answer_mode == "prose":
            return self.text, "stop"
        text = json.dumps(_shaped(response_format["json_schema"]["schema"], self.text), ensure_ascii=False)
        if self.answer_mode == "truncated":
            return text[: len(text) // 2], "length"
        return text, "stop"


def _shaped(schema: dict[str, Any], text: str) -> Any:
    kind = schema.get("type")
    if kind == "object":
        return {name: _shaped(sub, text) for name, sub in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [_shaped(schema.get("items") or {"type": "string"}, text)]
    return text


def _check(body: Any) -> Failure | None:
    if not isinstance(body, dict):
        return Failure(400, "We could not parse the JSON body of your request.")
    for key in body:
        if key not in _FIELDS:
            return Failure(400, f"Unrecognized request argument supplied: {key}")
    if not isinstance(body.get("model"), str) or not body["model"]:
        return Failure(400, "you must provide a model parameter")
    response_format = body.get("response_format")
    if response_format is not None:
        schema = (response_format.get("json_schema") or {}) if isinstance(response_format, dict) else {}
        if response_format.get("type") == "json_schema" and not isinstance(schema.get("schema"), dict):
            return Failure(400, "Missing required parameter: 'response_format.json_schema.schema'.")
        if schema.get("strict") and not _strict(schema["schema"]):
            return Failure(
                400,
                "Invalid schema for response_format 'answer': In strict mode every property must "
                "be required and additionalProperties must be false.",
                "invalid_json_schema",
            )
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return Failure(400, "[] is too short - 'messages'", "invalid_value")
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in _ROLES or "content" not in message:
            return Failure(400, f"Invalid value for 'messages[{index}]'.", "invalid_value")
    return None


def _strict(schema: dict[str, Any]) -> bool:
    """OpenAI's strict structured output: every object lists all its properties as required, and no others."""
    if schema.get("type") == "object":
        properties = schema.get("properties") or {}
        if schema.get("additionalProperties") is not False or set(schema.get("required") or ()) != set(properties):
            return False
        return all(_strict(sub) for sub in properties.values())
    if schema.get("type") == "array":
        return _strict(schema.get("items") or {})
    return True


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
        self._reply(*self.server.fake.answer(ChatRequest(self.path, headers, body)))  # type: ignore[attr-defined]

    def do_GET(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self._reply(*self.server.fake.listing(ChatRequest(self.path, headers, None)))  # type: ignore[attr-defined]

    def _reply(self, status: int, answer: dict[str, Any]) -> None:
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the recorded requests are what tests look at."""
