"""The text model contract: the non-live call used for context summaries and session reports."""

from dataclasses import dataclass
from typing import Protocol

from ..events import TokenUsage


@dataclass(frozen=True, slots=True)
class TextResult:
    text: str
    usage: TokenUsage
    model: str


class TextModelError(Exception):
    """The call failed; `retryable` says whether trying again later may work (Celery retries then)."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable


class TextModel(Protocol):
    provider: str

    async def complete(self, *, system: str, prompt: str, max_output_tokens: int = 1024) -> TextResult: ...
