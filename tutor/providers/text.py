"""The text model contract: the non-live call used for context summaries and session reports.

The caller gives a JSON Schema and gets JSON of it back, through each service's structured-output option. A call
the service billed is never lost: its tokens come back with the result, or with the error when the answer could
not be used (cut off, empty, not the JSON asked for), so the caller records every billed call once."""

from dataclasses import dataclass
from typing import Any, Protocol

from ..events import TokenUsage


@dataclass(frozen=True, slots=True)
class TextResult:
    text: str
    usage: TokenUsage
    model: str


class TextModelError(Exception):
    """The call failed; `retryable` says whether trying again later may work (Celery retries then). When the
    service answered and billed the call but the answer cannot be used (`unusable`), `usage` and `model` say what
    was billed."""

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        usage: TokenUsage | None = None,
        model: str = "",
        unusable: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.usage = usage
        self.model = model
        self.unusable = unusable


class TextModel(Protocol):
    provider: str
    model: str

    async def complete(
        self, *, system: str, prompt: str, schema: dict[str, Any], max_output_tokens: int = 1024
    ) -> TextResult:
        """JSON of `schema` (a JSON Schema object), as the service's structured output returns it."""
        ...
