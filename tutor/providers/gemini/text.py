"""The Gemini text model for summaries and reports: one `generate_content` call, errors sorted for Celery."""

import httpx2
from google import genai
from google.genai import errors, types

from tutor.events import TokenUsage

from ..text import TextModelError, TextResult
from .config import GeminiConfig


class GeminiTextModel:
    provider = "gemini"

    def __init__(self, config: GeminiConfig, model: str, *, timeout_seconds: float = 60.0) -> None:
        self.model = model
        context = config.tls_context()
        self._client = genai.Client(
            api_key=config.api_key,
            http_options=types.HttpOptions(
                api_version=config.api_version,
                base_url=config.base_url,
                timeout=int(timeout_seconds * 1000),
                async_client_args={"verify": context} if context is not None else None,
            ),
        )

    async def complete(self, *, system: str, prompt: str, max_output_tokens: int = 1024) -> TextResult:
        """Raises TextModelError: retryable for 429, 5xx and network failures, not for other 4xx."""
        try:
            response = await self._client.aio.models.generate_content(
                model=self.model,
                contents=prompt,
                config=types.GenerateContentConfig(system_instruction=system, max_output_tokens=max_output_tokens),
            )
        except errors.APIError as exc:
            code = exc.code or 0
            raise TextModelError(
                f"Gemini {self.model} answered {code} {exc.status or ''}: {exc.message or exc.details}",
                retryable=code == 429 or code >= 500,
            ) from exc
        except httpx2.TransportError as exc:
            raise TextModelError(f"Gemini could not be reached ({exc!r})", retryable=True) from exc
        if not response.text:
            reason = response.candidates[0].finish_reason if response.candidates else "no candidate"
            raise TextModelError(f"Gemini {self.model} returned no text ({reason})", retryable=False)
        usage = response.usage_metadata or types.GenerateContentResponseUsageMetadata()
        return TextResult(
            text=response.text.strip(),
            usage=TokenUsage(
                text_in=usage.prompt_token_count or 0,
                cached_in=usage.cached_content_token_count or 0,
                text_out=(usage.candidates_token_count or 0) + (usage.thoughts_token_count or 0),
            ),
            model=response.model_version or self.model,
        )
