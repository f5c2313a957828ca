"""How much of the model's context window a session uses: reported by the provider, else estimated."""

from dataclasses import dataclass

from .events import TokenUsage
from .session.store import FinishedTurn

CHARS_PER_TOKEN = 4


@dataclass
class ContextMeter:
    """Provider usage, where given, is the truth (it counts the whole prompt); between reports, and
    for providers that report nothing, audio seconds times tokens per second plus text is the estimate."""

    audio_in_tokens_per_second: float
    audio_out_tokens_per_second: float
    base_tokens: int = 0
    _estimate: float = 0.0
    _reported: int = 0

    def __post_init__(self) -> None:
        self._estimate = float(self.base_tokens)

    @staticmethod
    def text_tokens(text: str) -> int:
        return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN

    def observe_turn(self, turn: FinishedTurn) -> None:
        rate = self.audio_in_tokens_per_second if turn.role == "student" else self.audio_out_tokens_per_second
        self._estimate += turn.audio_ms / 1000 * rate + self.text_tokens(turn.text)

    def observe_tokens(self, tokens: int) -> None:
        """Input no turn carries: the frames of a shared camera or screen, which add up between reports."""
        self._estimate += tokens

    def observe_usage(self, usage: TokenUsage) -> None:
        """A provider's usage counts the whole prompt it processed plus what it produced."""
        self._reported = usage.total
        self._estimate = max(self._estimate, float(usage.total))

    def restart(self, base_tokens: int) -> None:
        """A new connection starts from the instructions, the summary and the recent turns only."""
        self._estimate = float(base_tokens)
        self._reported = 0

    @property
    def tokens(self) -> int:
        return max(self._reported, round(self._estimate))


@dataclass(frozen=True)
class SummaryPolicy:
    """When older turns are summarized away, and which ones (see docs/context.md)."""

    budget_tokens: int
    trigger_share: float = 0.6
    every_turns: int = 24
    min_turns: int = 6
    recent_turns: int = 8

    def may_be_due(self, *, through_turn: int, covered: int) -> bool:
        """Whether a summary could be due at all, before the new turns are counted: there are at most as many new
        turns as turn numbers after `covered` up to the summary's reach (live sessions ask after every turn, and
        mostly the answer is no without counting; docs/performance.md)."""
        return through_turn - self.recent_turns - covered >= min(self.every_turns, self.min_turns)

    def target(self, *, tokens: int, through_turn: int, covered: int, new_turns: int) -> int | None:
        """The turn a summary should now reach, or None. `covered` is the last turn already summarized
        (or asked for); `new_turns` counts the turns after it up to what the summary would reach; the
        last `recent_turns` always stay verbatim."""
        target = through_turn - self.recent_turns
        if target <= covered:
            return None
        over_budget = tokens >= self.trigger_share * self.budget_tokens
        if new_turns >= self.every_turns or (over_budget and new_turns >= self.min_turns):
            return target
        return None
