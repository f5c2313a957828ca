"""A scripted TextModel: answers (or failures) in order, and the prompts and schemas it was given. An answer is
billed (its usage returned) whether or not it is the JSON asked for, as a service bills it."""

from dataclasses import dataclass, field
from typing import Any

from tutor.events import TokenUsage
from tutor.providers.text import TextModelError, TextResult


@dataclass
class ScriptedTextModel:
    answers: list[str | TextModelError]
    provider: str = "scripted"
    model: str = "scripted-text"
    prompts: list[tuple[str, str]] = field(default_factory=list)
    schemas: list[dict[str, Any]] = field(default_factory=list)

    async def complete(
        self, *, system: str, prompt: str, schema: dict[str, Any], max_output_tokens: int = 1024
    ) -> TextResult:
        self.prompts.append((system, prompt))
        self.schemas.append(schema)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, TextModelError):
            raise answer
        return TextResult(
            text=answer, usage=TokenUsage(text_in=len(prompt) // 4, text_out=len(answer) // 4), model=self.model
        )
