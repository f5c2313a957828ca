"""How the live tutor is configured, as one typed value, and the decisions that follow from it: which
provider, model and voice a session gets, its context budget and its timings.

config/settings/tutor.py builds the value from the environment (settings.TUTOR); the Django side reads
it there and hands the engine what it needs, so no module of the engine reads settings.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from . import patience
from .context import SummaryPolicy
from .protocol import Limits
from .providers.catalog import CATALOG, Catalog, Prices
from .providers.gemini.config import GeminiConfig
from .providers.offline.config import OfflineConfig
from .providers.openai.config import OpenAIConfig
from .providers.pricing import minute_estimate_usd
from .throttle import AudioPace, TypingPace


@dataclass(frozen=True)
class RunnerConfig:
    """One session's timings and budgets (TutorConfig.runner_config fills in the lesson and provider)."""

    max_seconds: float = 15 * 60
    idle_timeout: float = 180.0
    reconnect_grace: float = 30.0
    retries: int = 3
    backoff: float = 0.5
    goaway_margin: float = 3.0  # reconnect at the latest this long before the provider closes
    # After a goAway, a switch waits this long for the resumption handle the service sends right after it (once the
    # connection has issued handles): resuming with an older one would make the tutor forget what came since.
    goaway_handle_wait: float = 1.0
    audio_buffer_ms: float = 5000.0  # student audio kept while the provider reconnects
    audio_tokens_per_second: tuple[float, float] = (25.0, 25.0)
    video_frame_tokens: int = 0  # each frame of a shared camera or screen, until the provider reports usage
    max_memory_chars: int = 1200
    # With a new summary, start a fresh connection (no resumption handle) at the next pause, seeded
    # with the summaries and the recent turns: the model re-bills its whole context every turn, and a
    # resumed Gemini session would restore every second of audio so far.
    refresh_on_summary: bool = False


@dataclass(frozen=True)
class TutorConfig:
    provider: str = ""  # "" picks the first provider whose key is set, else the offline tutor
    # The order in which a session goes on with another provider when its own fails (those without a key
    # are skipped); () for none.
    failover: tuple[str, ...] = ("gemini", "openai", "offline")
    gemini: GeminiConfig = field(default_factory=GeminiConfig)
    openai: OpenAIConfig = field(default_factory=OpenAIConfig)
    offline: OfflineConfig = field(default_factory=OfflineConfig)
    catalog: Catalog = CATALOG
    limits: Limits = field(default_factory=Limits)
    audio_pace: AudioPace = field(default_factory=AudioPace)
    typing_pace: TypingPace = field(default_factory=TypingPace)
    min_image_interval_seconds: float = 1.0
    runner: RunnerConfig = field(default_factory=RunnerConfig)
    # What a session may send the model, whatever its window (the budget is the smaller of the two), and
    # when older turns are summarized (docs/context.md).
    summaries: SummaryPolicy = field(default_factory=lambda: SummaryPolicy(budget_tokens=16_000))
    stale_after_minutes: int = 30

    # ---- which provider, model and voice ------------------------------------------------------

    def default_provider(self) -> str:
        """The configured provider if set, else the first provider whose key is set, else offline."""
        if self.provider:
            return self.provider
        if self.gemini.api_key:
            return "gemini"
        if self.openai.api_key:
            return "openai"
        return "offline"

    def provider_available(self, name: str) -> bool:
        return name == "offline" or bool({"gemini": self.gemini.api_key, "openai": self.openai.api_key}.get(name))

    def provider_for_lesson(self, lesson_provider: str) -> str:
        """The lesson's provider when this site can use it, else the site's default."""
        if lesson_provider and self.provider_available(lesson_provider):
            return lesson_provider
        return self.default_provider()

    def live_model(self, provider: str, lesson_model: str = "") -> str:
        """The lesson's model when it names one of this provider's live models that has not shut down, else the
        provider's setting (a session never dials a model the service no longer offers; `manage.py check` and the
        lesson's page say which lessons name one)."""
        if lesson_model and lesson_model in self.catalog.offered_live_models(provider):
            return lesson_model
        return {"gemini": self.gemini.live_model, "openai": self.openai.realtime_model, "offline": "offline"}[provider]

    def fallbacks(self, provider: str) -> tuple[str, ...]:
        """What a session on `provider` goes on with, in order, should it fail."""
        return tuple(p for p in self.failover if p != provider and self.provider_available(p))

    def session_provider_and_model(
        self, lesson_provider: str, lesson_model: str, *, usable: Callable[[str], bool] = lambda _provider: True
    ) -> tuple[str, str]:
        """What a new session of a lesson runs on: the lesson's model only with the lesson's own provider; a
        provider held to be down (`usable`) gives way to the first usable one of its fallbacks."""
        provider = self.provider_for_lesson(lesson_provider)
        if not usable(provider):
            provider = next((p for p in self.fallbacks(provider) if usable(p)), provider)
        return provider, self.live_model(provider, lesson_model if provider == lesson_provider else "")

    def text_model(self, provider: str) -> str | None:
        """The model that writes summaries and reports; None: they are written by extraction."""
        return {"gemini": self.gemini.text_model, "openai": self.openai.text_model}.get(provider)

    def default_voice(self, provider: str) -> str:
        configured = {"gemini": self.gemini.default_voice, "openai": self.openai.default_voice}.get(provider)
        return configured or self.catalog.provider(provider).default_voice

    def voice(self, provider: str, lesson_voice: str = "") -> str:
        """The lesson's voice if the provider has it, else the provider's default."""
        if lesson_voice and lesson_voice in self.catalog.voices(provider):
            return lesson_voice
        return self.default_voice(provider)

    # ---- budgets and timings -------------------------------------------------------------------

    def context_budget(self, model: str) -> int:
        """The tokens a session of this model may use before older turns are summarized away."""
        return min(self.catalog.context_window(model), self.summaries.budget_tokens)

    def summary_policy(self, model: str) -> SummaryPolicy:
        return replace(self.summaries, budget_tokens=self.context_budget(model))

    def turn_silence_ms(self, provider: str, *, level: str, lesson_patience: str) -> int:
        """How long a student's silence ends their turn with this provider: what the live page waits out
        before it stops showing its "take your time" cue. The app's turns (the default) wait the lesson's patience;
        a service's own detection, the operator's silence if set."""
        site = {
            "gemini": None if self.gemini.app_turns else self.gemini.silence_duration_ms,
            "openai": None if self.openai.app_turns else self.openai.vad_silence_ms,
        }.get(provider)
        return patience.silence_ms(level, lesson_patience, site)

    def price(self, model: str) -> Prices | None:
        return self.catalog.prices(model)

    def session_estimate_usd(self, provider: str, model: str, *, minutes: float) -> Decimal | None:
        """What a session of this model is expected to cost at most, for `minutes` (its lesson's time limit): what
        a budget holds back for it while it runs (docs/costs.md). None when the model has no known price."""
        transcriber = self.openai.transcription_model if provider == "openai" else None
        policy = self.summary_policy(model)
        minute = minute_estimate_usd(
            self.price(model),
            provider=self.catalog.provider(provider),
            context_tokens=policy.trigger_share * policy.budget_tokens / 2,
            transcription=self.price(transcriber) if transcriber else None,
        )
        return None if minute is None else (minute * Decimal(str(minutes))).quantize(Decimal("0.01"))

    def runner_config(self, *, provider: str, max_minutes: int) -> RunnerConfig:
        facts = self.catalog.provider(provider)
        return replace(
            self.runner,
            max_seconds=max_minutes * 60,
            audio_tokens_per_second=facts.audio_tokens_per_second,
            video_frame_tokens=facts.video_frame_tokens,
            refresh_on_summary=facts.refreshes_on_summary,
        )
