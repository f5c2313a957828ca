"""OpenAI's text model for summaries and reports: one Chat Completions call on the Realtime base URL, asking for
JSON of a schema (`response_format` `json_schema`, strict: OpenAI's structured output).

Chat Completions rather than Responses because Azure and self-hosted compatible servers (vLLM,
LocalAI, llama.cpp) all speak it. The stdlib client runs in a thread: these calls come from Celery
tasks a few times a session, so a dependency would buy nothing.
"""

import asyncio
import json
import urllib.error
import urllib.request
from typing import Any

from tutor.events import TokenUsage

from ..text import TextModelError, TextResult
from .config import OpenAIConfig

RETRYABLE_STATUSES = frozenset({408, 409, 429})


class OpenAITextModel:
    """Authenticates as the Realtime socket does (OpenAIConfig.auth_headers), so one OPENAI_AUTH serves both."""

    provider = "openai"

    def __init__(self, config: OpenAIConfig, model: str, *, reasoning_effort: str = "", timeout: float = 60.0) -> None:
        self.model = model
        self.reasoning_effort = reasoning_effort  # for a model that reasons: how much (the catalog says)
        self.url = config.base_url.rstrip("/") + "/chat/completions"
        self.headers = {**config.auth_headers(), "Content-Type": "application/json"}
        self.timeout = timeout
        self.ssl_context = config.tls_context()

    async def complete(
        self, *, system: str, prompt: str, schema: dict[str, Any], max_output_tokens: int = 1024
    ) -> TextResult:
        """Raises TextModelError; an answer that came back without content (cut off at the limit, a refusal)
        carries the tokens it billed."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": prompt}],
            "max_completion_tokens": max_output_tokens,
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "answer", "strict": True, "schema": schema},
            },
        }
        if self.reasoning_effort:
            body["reasoning_effort"] = self.reasoning_effort
        answer = await asyncio.to_thread(self._post, body)
        usage, model = _usage(answer.get("usage") or {}), answer.get("model", self.model)
        try:
            choice = answer["choices"][0]
            message = choice["message"]
        except (KeyError, IndexError, TypeError):
            raise TextModelError("OpenAI answered without a message.", retryable=True, usage=usage, model=model)
        text = message.get("content") if isinstance(message, dict) else None
        if not text:
            why = (message or {}).get("refusal") or f"finish reason: {choice.get('finish_reason')}"
            raise TextModelError(
                f"OpenAI returned no text ({why}).", retryable=True, usage=usage, model=model, unusable=True
            )
        return TextResult(text=text, usage=usage, model=model)

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body).encode(),
            headers=self.headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self.ssl_context) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise _http_error(exc.code, exc.read())
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TextModelError(f"Could not reach OpenAI at {self.url}: {exc}", retryable=True)
        except ValueError as exc:
            raise TextModelError(f"OpenAI answered with something other than JSON: {exc}", retryable=True)


def _http_error(status: int, body: bytes) -> TextModelError:
    try:
        error = json.loads(body)["error"]
        message, code = str(error.get("message") or ""), error.get("code")
    except (ValueError, KeyError, TypeError, AttributeError):
        message, code = body[:200].decode(errors="replace"), None
    # A 429 for an exhausted quota will not clear by itself; other 429s are rate limits that do.
    retryable = (status in RETRYABLE_STATUSES or status >= 500) and code != "insufficient_quota"
    return TextModelError(f"OpenAI refused the request (HTTP {status}): {message}", retryable=retryable)


def _usage(usage: dict[str, Any]) -> TokenUsage:
    cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
    return TokenUsage(
        text_in=usage.get("prompt_tokens") or 0, cached_in=cached, text_out=usage.get("completion_tokens") or 0
    )
