"""The Gemini text model for summaries and reports: one `generate_content` call asking for JSON of a schema
(`response_json_schema`, Gemini's structured output), errors sorted for Celery."""

from typing import Any

import httpx2
from google import genai
from google.genai import errors, types

from tutor.events import TokenUsage

from ..text import TextModelError, TextResult
from .config import GeminiConfig


def rest_client(config: GeminiConfig, *, timeout_seconds: float) -> genai.Client:
    """The SDK's client for the REST calls (text, the list of models), with the site's endpoint and CA."""
    context = config.tls_context()
    return genai.Client(
        api_key=config.api_key,
        http_options=types.HttpOptions(
            api_version=config.api_version,
            base_url=config.base_url,
            timeout=int(timeout_seconds * 1000),
            async_client_args={"verify": context} if context is not None else None,
        ),
    )


class GeminiTextModel:
    provider = "gemini"

    def __init__(self, config: GeminiConfig, model: str, *, timeout_seconds: float = 60.0) -> None:
        self.model = model
        self._client = rest_client(config, timeout_seconds=timeout_seconds)

    async def complete(
        self, *, system: str, prompt: str, schema: dict[str, Any], max_output_tokens: int = 1024
    ) -> TextResult:
        """Raises TextModelError: retryable for 429, 5xx and network failures, not for other 4xx; an answer that
        came back without text (cut off, blocked) carries the tokens it billed."""
        config = types.GenerateContentConfig(
            system_instruction=system,
            max_output_tokens=max_output_tokens,
            response_mime_type="application/json",
            response_json_schema=schema,
        )
        try:
            response = await self._client.aio.models.generate_content(model=self.model, contents=prompt, config=config)
        except errors.APIError as exc:
            code = exc.code or 0
            raise TextModelError(
                f"Gemini {self.model} answered {code} {exc.status or ''}: {exc.message or exc.details}",
                retryable=code == 429 or code >= 500,
            ) from exc
        except httpx2.TransportError as exc:
            raise TextModelError(f"Gemini could not be reached ({exc!r})", retryable=True) from exc
        usage = response.usage_metadata or types.GenerateContentResponseUsageMetadata()
        tokens = TokenUsage(
            text_in=usage.prompt_token_count or 0,
            cached_in=usage.cached_content_token_count or 0,
            text_out=(usage.candidates_token_count or 0) + (usage.thoughts_token_count or 0),
        )
        model = response.model_version or self.model
        if not response.text:
            reason = response.candidates[0].finish_reason if response.candidates else "no candidate"
            raise TextModelError(
                f"Gemini {self.model} returned no text ({reason})",
                retryable=True, usage=tokens, model=model, unusable=True,
            )  # fmt: skip
        return TextResult(text=response.text.strip(), usage=tokens, model=model)
