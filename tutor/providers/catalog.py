"""What each provider offers, as one table of facts: its voices, its models (live, text or transcription,
context window, prices) and how many tokens a second of its audio costs. Lessons, the context budget, pricing
and the session's set-up all read it here; prices may be overridden from settings (TUTOR_PRICES_JSON).

Prices are the vendors' published list prices of late 2025, in USD per million tokens (docs/costs.md)."""

import re
from dataclasses import dataclass, field, replace
from typing import Literal

ModelKind = Literal["live", "text", "transcription"]


@dataclass(frozen=True, slots=True)
class Prices:
    """USD per million tokens; cached input is billed at `cached_in` instead of its modality's rate."""

    text_in: float
    audio_in: float
    cached_in: float
    text_out: float
    audio_out: float
    image_in: float

    @classmethod
    def of(cls, values: tuple | list) -> "Prices":
        """From the settings' order: (text in, audio in, cached in, text out, audio out, image in)."""
        return cls(*(float(value) for value in values))


@dataclass(frozen=True, slots=True)
class ModelFacts:
    name: str
    provider: str
    kind: ModelKind
    context_window: int
    prices: Prices | None = None  # None: the price is not known
    # Gemini Live: whether the model takes the language from speech_config.language_code. Native-audio models
    # (all of Gemini's Live models here) choose it themselves and don't support setting it; half-cascade ones
    # do (docs/providers/gemini.md).
    uses_language_code: bool = False
    # Gemini Live: the model calls functions only BLOCKING (3.1), so they cannot be declared NON_BLOCKING,
    # which scheduling=SILENT needs to hold.
    blocking_only: bool = False


@dataclass(frozen=True, slots=True)
class ProviderFacts:
    name: str
    voices: tuple[str, ...]
    default_voice: str
    # Tokens a second of student and of tutor audio, for the context estimate where no usage is reported.
    audio_tokens_per_second: tuple[float, float]
    # Whether a fresh connection seeded with the summaries serves the session better than a resumed one
    # (the networked models re-bill their whole context every turn; the offline tutor keeps no context).
    refreshes_on_summary: bool
    # Tokens each frame of a shared camera or screen adds to the context as it reaches the connection, for
    # the estimate between usage reports: a minute of sharing is forty frames before the next report.
    video_frame_tokens: int = 0


# Gemini Live's prebuilt voices (the service's documented list).
GEMINI_VOICES = (
    "Zephyr", "Puck", "Charon", "Kore", "Fenrir", "Leda", "Orus", "Aoede", "Callirrhoe", "Autonoe",
    "Enceladus", "Iapetus", "Umbriel", "Algieba", "Despina", "Erinome", "Algenib", "Rasalgethi", "Laomedeia",
    "Achernar", "Alnilam", "Schedar", "Gacrux", "Pulcherrima", "Achird", "Zubenelgenubi", "Vindemiatrix",
    "Sadachbia", "Sadaltager", "Sulafat",
)  # fmt: skip
GEMINI_LIVE_PRICES = Prices(0.50, 3.00, 0.125, 2.00, 12.00, 3.00)  # the 2.5 native-audio rates
GPT_REALTIME_PRICES = Prices(4.00, 32.00, 0.40, 16.00, 64.00, 5.00)
GPT_REALTIME_2_PRICES = Prices(4.00, 32.00, 0.40, 24.00, 64.00, 5.00)
GPT_REALTIME_MINI_PRICES = Prices(0.60, 10.00, 0.30, 2.40, 20.00, 0.80)
# Summaries and reports; transcription of the student's speech in an OpenAI Realtime session.
GEMINI_FLASH_PRICES = Prices(0.30, 1.00, 0.03, 2.50, 0, 0.30)
GPT_4_1_MINI_PRICES = Prices(0.40, 0, 0.10, 1.60, 0, 0)
GPT_4O_MINI_TRANSCRIBE_PRICES = Prices(1.25, 3.00, 0, 5.00, 0, 0)
GPT_4O_TRANSCRIBE_PRICES = Prices(2.50, 6.00, 0, 10.00, 0, 0)
FREE = Prices(0, 0, 0, 0, 0, 0)

PROVIDERS: tuple[ProviderFacts, ...] = (
    ProviderFacts(
        "gemini",
        voices=GEMINI_VOICES,
        default_voice="Puck",
        audio_tokens_per_second=(32, 32),
        refreshes_on_summary=True,
        video_frame_tokens=258,  # a frame of at most 768 x 768 px is one tile (docs); the page sends 768 px
    ),
    ProviderFacts(
        "openai",
        # OpenAI Realtime (GA) voices; fable, onyx and nova are refused by the service.
        voices=("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar"),
        default_voice="marin",
        audio_tokens_per_second=(10, 20),
        refreshes_on_summary=True,
        # Frames are held: at most one goes to the model per student turn, and the response.done of that
        # turn reports its image tokens (docs/providers/openai.md).
        video_frame_tokens=0,
    ),
    ProviderFacts(
        "offline",
        # eSpeak NG voice variants (female f1-f4, male m1-m4).
        voices=("f1", "f2", "f3", "f4", "m1", "m2", "m3", "m4"),
        default_voice="f2",
        audio_tokens_per_second=(25, 25),
        refreshes_on_summary=False,
    ),
)

MODELS: tuple[ModelFacts, ...] = (
    ModelFacts("gemini-3.8-live", "gemini", "live", 131_072, GEMINI_LIVE_PRICES),
    ModelFacts("gemini-3.1-flash-live-preview", "gemini", "live", 131_072, GEMINI_LIVE_PRICES, blocking_only=True),
    ModelFacts("gemini-2.5-flash-native-audio-preview-12-2025", "gemini", "live", 131_072, GEMINI_LIVE_PRICES),
    ModelFacts("gemini-2.5-flash", "gemini", "text", 1_048_576, GEMINI_FLASH_PRICES),
    ModelFacts("gpt-realtime", "openai", "live", 32_000, GPT_REALTIME_PRICES),
    ModelFacts("gpt-realtime-1.5", "openai", "live", 32_000, GPT_REALTIME_PRICES),
    ModelFacts("gpt-realtime-mini", "openai", "live", 32_000, GPT_REALTIME_MINI_PRICES),
    ModelFacts("gpt-realtime-2", "openai", "live", 128_000, GPT_REALTIME_2_PRICES),
    ModelFacts("gpt-realtime-2.1", "openai", "live", 128_000, GPT_REALTIME_2_PRICES),
    ModelFacts("gpt-realtime-2.1-mini", "openai", "live", 128_000, GPT_REALTIME_MINI_PRICES),
    ModelFacts("gpt-4.1-mini", "openai", "text", 1_047_576, GPT_4_1_MINI_PRICES),
    ModelFacts("gpt-4o-mini-transcribe", "openai", "transcription", 16_000, GPT_4O_MINI_TRANSCRIBE_PRICES),
    ModelFacts("gpt-4o-transcribe", "openai", "transcription", 16_000, GPT_4O_TRANSCRIBE_PRICES),
    ModelFacts("offline", "offline", "live", 32_000, FREE),
)

DEFAULT_CONTEXT_WINDOW = 32_000  # a model the table does not know: assume the smallest window
# A dated snapshot of a model, as OpenAI's answers name the model that served them ("gpt-4.1-mini-2025-04-14").
SNAPSHOT = re.compile(r"^(?P<model>.+)-\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Catalog:
    providers: tuple[ProviderFacts, ...] = PROVIDERS
    models: tuple[ModelFacts, ...] = MODELS
    _by_model: dict[str, ModelFacts] = field(init=False, repr=False, compare=False, hash=False)
    _by_provider: dict[str, ProviderFacts] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_model", {facts.name: facts for facts in self.models})
        object.__setattr__(self, "_by_provider", {facts.name: facts for facts in self.providers})

    @property
    def provider_names(self) -> tuple[str, ...]:
        return tuple(facts.name for facts in self.providers)

    def provider(self, name: str) -> ProviderFacts:
        return self._by_provider[name]

    def model(self, name: str) -> ModelFacts | None:
        """The model's facts; a dated snapshot the table does not name has those of its model."""
        facts = self._by_model.get(name)
        if facts is None and (snapshot := SNAPSHOT.match(name)):
            facts = self._by_model.get(snapshot["model"])
        return facts

    def voices(self, provider: str) -> tuple[str, ...]:
        facts = self._by_provider.get(provider)
        return facts.voices if facts else ()

    def is_voice_of(self, provider: str, voice: str) -> bool:
        """Blank means the provider's default and is always valid."""
        return not voice or voice in self.voices(provider)

    def live_models(self, provider: str) -> tuple[str, ...]:
        return tuple(m.name for m in self.models if m.provider == provider and m.kind == "live")

    def context_window(self, model: str) -> int:
        facts = self.model(model)
        return facts.context_window if facts else DEFAULT_CONTEXT_WINDOW

    def prices(self, model: str) -> Prices | None:
        facts = self.model(model)
        return facts.prices if facts else None

    def with_prices(self, overrides: dict[str, Prices]) -> "Catalog":
        """The same facts with these prices; a model the table does not know is added as a live model of
        no known provider, so a price for a new model can be set before the table learns of it."""
        known = [replace(m, prices=overrides.get(m.name, m.prices)) for m in self.models]
        new = [
            ModelFacts(name, "", "live", DEFAULT_CONTEXT_WINDOW, prices)
            for name, prices in overrides.items()
            if name not in self._by_model
        ]
        return replace(self, models=(*known, *new))


CATALOG = Catalog()
