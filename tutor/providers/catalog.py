"""What each provider offers, as one table of facts: its voices, its models (live, text or transcription,
context window, prices, when each shuts down and what replaces it) and how many tokens a second of its audio
costs. Lessons, the context budget, pricing, `manage.py check` and the session's set-up all read it here; prices
may be overridden from settings (TUTOR_PRICES_JSON).

Every fact carries its source and the date it was read (docs/costs.md has the same table for people). Prices are
the vendors' list prices in USD per million tokens, or per minute of audio for the models billed by duration."""

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Literal

ModelKind = Literal["live", "text", "transcription"]
# How a transcription model takes the lesson's words (OpenAI's `AudioTranscription`, openai 3.63.0): as `keywords`
# with several `languages` (gpt-transcribe, gpt-live-transcribe), as a free-text `prompt` with one `language`
# (the gpt-4o transcribers), as a prompt that is a list of keywords (whisper-1), or not at all ("").
TranscriptionHints = Literal["keywords", "prompt", "keyword_prompt", ""]
# A model shutting down within this many days is a warning of `manage.py check`, the lesson form and lesson files.
RETIRING_WITHIN_DAYS = 60
READ_ON = dt.date(2026, 12, 7)  # when the facts below were last checked against the vendors' pages


@dataclass(frozen=True, slots=True)
class Prices:
    """USD per million tokens; cached input is billed at `cached_in` instead of its modality's rate. A model
    billed by the duration of its audio (OpenAI's transcribers) has `audio_minute`, USD per minute."""

    text_in: float
    audio_in: float
    cached_in: float
    text_out: float
    audio_out: float
    image_in: float
    audio_minute: float = 0.0

    @classmethod
    def of(cls, values: tuple | list) -> "Prices":
        """From the settings' order: (text in, audio in, cached in, text out, audio out, image in[, per minute])."""
        return cls(*(float(value) for value in values))

    @classmethod
    def per_minute(cls, usd: float) -> "Prices":
        return cls(0, 0, 0, 0, 0, 0, audio_minute=usd)


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """Where a model stands on a day: offered, shutting down within RETIRING_WITHIN_DAYS, or shut down."""

    model: str
    state: Literal["current", "retiring", "shut_down"]
    shutdown: dt.date | None = None
    replacement: str = ""
    days_left: int | None = None  # until the shutdown; 0 or less once it has shut down


@dataclass(frozen=True, slots=True)
class ModelFacts:
    name: str
    provider: str
    kind: ModelKind
    context_window: int
    prices: Prices | None = None  # None: the price is not known
    # The vendor's announced shutdown (the model answers nothing from that day on) and its recommended
    # replacement; None: no shutdown announced.
    shutdown: dt.date | None = None
    replacement: str = ""
    # Gemini Live: whether the model takes the language from speech_config.language_code. Native-audio models
    # (all of Gemini's Live models here) choose it themselves and don't support setting it; half-cascade ones
    # do (docs/providers/gemini.md).
    uses_language_code: bool = False
    # Gemini Live: the model calls functions only BLOCKING (3.1), so they cannot be declared NON_BLOCKING,
    # which scheduling=SILENT needs to hold.
    blocking_only: bool = False
    # Gemini Live: the model takes media_resolution LOW for shared camera and screen frames (about 64 tokens a
    # frame instead of 258).
    low_media_resolution: bool = False
    transcription_hints: TranscriptionHints = ""
    # A text model that reasons: the effort to ask of it for a summary or a report ("" sends none). Reasoning tokens
    # count against the output limit, and a summary needs none.
    reasoning_effort: str = ""


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
    # Whether the context re-billed every turn is read from the service's cache, at the cached rate (OpenAI's
    # Realtime caches it; Gemini Live has no context caching: its model pages say "Caching: not supported").
    caches_context: bool = False


# Gemini Live's prebuilt voices (the service's documented list).
GEMINI_VOICES = (
    "Zephyr", "Puck", "Charon", "Kore", "Fenrir", "Leda", "Orus", "Aoede", "Callirrhoe", "Autonoe",
    "Enceladus", "Iapetus", "Umbriel", "Algieba", "Despina", "Erinome", "Algenib", "Rasalgethi", "Laomedeia",
    "Achernar", "Alnilam", "Schedar", "Gacrux", "Pulcherrima", "Achird", "Zubenelgenubi", "Vindemiatrix",
    "Sadachbia", "Sadaltager", "Sulafat",
)  # fmt: skip
# Sources, all read on 2026-12-07 (READ_ON); docs/costs.md has the same facts as a table, with their addresses.
# [G-dep]  https://ai.google.dev/gemini-api/docs/deprecations (Gemini deprecations: release and shutdown dates)
# [G-price] https://ai.google.dev/gemini-api/docs/pricing, as transcribed on 2026-10-07 in the public
#           api-evangelist/deepmind plans/deepmind-plans-pricing.yml (the page itself is not in the reference store)
# [G-3.8]  the gemini-3.8-live(-extended-thinking) listings of Vercel's AI Gateway (vercel.com/ai-gateway/models),
#           which link Google's pricing page: $0.75 in / $4.50 out; audio rates not confirmed (see below)
# [G-3.1]  discuss.ai.google.dev/t/140340: 3.1 Flash Live audio at $0.005 a minute in, $0.018 out (about $3 and
#           $12 per million at 25 tokens a second)
# [O-pkg]  the openai package 3.63.0: types/realtime/realtime_session_create_request.py (Realtime models and their
#           shutdown), types/shared/chat_model.py (chat models), types/realtime/audio_transcription.py (transcribers)
# [O-model] https://developers.openai.com/api/docs/models/<model> (each model's own page and price)
# [O-dep]  https://developers.openai.com/api/docs/deprecations, as quoted with its replacements on 2026-10-28 by
#           dev.to/max_bob (checked there against GET /v1/models shutdown_date) and for the transcribers on 2026-10-17
#           by developersdigest.tech; the page itself is not in the reference store
# Gemini 3.8 Live: text rates [G-3.8]; audio and image rates not published where they could be read, so the
# higher of the known Live audio rates ([G-3.1], and the 2.5 native-audio model's) is assumed; Live has no context
# caching (its model page: "Caching: not supported"), so a cached token is priced as a text one.
GEMINI_3_8_LIVE_PRICES = Prices(0.75, 3.00, 0.75, 4.50, 12.00, 3.00)
GEMINI_3_1_LIVE_PRICES = Prices(0.75, 3.00, 0.75, 4.50, 12.00, 3.00)  # [G-3.1], text rates as 3.8's
GEMINI_2_5_LIVE_PRICES = Prices(0.50, 3.00, 0.125, 2.00, 12.00, 3.00)  # the 2.5 native-audio rates, late 2025
GEMINI_3_5_FLASH_LITE_PRICES = Prices(0.30, 0.30, 0.03, 2.50, 0, 0.30)  # [G-price]: one input rate for every modality
GEMINI_2_5_FLASH_PRICES = Prices(0.30, 1.00, 0.03, 2.50, 0, 0.30)  # [G-price]; shut down, kept to price old rows
GPT_REALTIME_PRICES = Prices(4.00, 32.00, 0.40, 16.00, 64.00, 5.00)  # [O-model] gpt-realtime-1.5
GPT_REALTIME_2_PRICES = Prices(4.00, 32.00, 0.40, 24.00, 64.00, 5.00)  # [O-model] gpt-realtime-2, gpt-realtime-2.1
# [O-model] gpt-realtime-2.1-mini; cached text is $0.06 there, cached audio $0.30: the audio rate, which is most of it.
GPT_REALTIME_MINI_PRICES = Prices(0.60, 10.00, 0.30, 2.40, 20.00, 0.80)
GPT_6_LUNA_PRICES = Prices(0.10, 0, 0.01, 0.50, 0, 0.10)  # OpenAI's pricing of 2026-09-22 (codexometer 0.18.4, LiteLLM)
GPT_4_1_MINI_PRICES = Prices(0.40, 0, 0.10, 1.60, 0, 0)  # late 2025; shuts down 2027-01-14
GPT_4O_MINI_TRANSCRIBE_PRICES = Prices(1.25, 3.00, 0, 5.00, 0, 0)  # late 2025, per token; shuts down 2027-02-26
GPT_4O_TRANSCRIBE_PRICES = Prices(2.50, 6.00, 0, 10.00, 0, 0)
FREE = Prices(0, 0, 0, 0, 0, 0)

PROVIDERS: tuple[ProviderFacts, ...] = (
    ProviderFacts(
        "gemini",
        voices=GEMINI_VOICES,
        default_voice="Puck",
        audio_tokens_per_second=(32, 32),
        refreshes_on_summary=True,
        # A frame at media_resolution LOW, which every Gemini Live model here takes (live_config.py): about 64 tokens
        # (google-genai 3.6.1's MediaResolution: "set to low (64 tokens)"), against 258 for a 768 px tile.
        video_frame_tokens=64,
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
        caches_context=True,
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

GEMINI_2_5_FLASH_SHUTDOWN = dt.date(2026, 6, 17)  # [G-dep], as the issue read it; later notes disagree (docs/costs.md)
REALTIME_1_SHUTDOWN = dt.date(2027, 1, 20)  # [O-pkg] RealtimeSessionCreateRequest.model
GPT_4_1_SHUTDOWN = dt.date(2027, 1, 14)  # [O-pkg] ChatModel
TRANSCRIBE_4O_SHUTDOWN = dt.date(2027, 2, 26)  # [O-pkg] AudioTranscription.model

MODELS: tuple[ModelFacts, ...] = (
    # Gemini Live: 3.8 and 3.8 extended thinking released 2026-09-15, no shutdown announced [G-dep]. The two older
    # ones have no shutdown on [G-dep] as read; 3.1 is called a "legacy preview" on its model page, and preview
    # models may go at short notice: `make smoke` (manage.py tutor_models) asks the service what it still offers.
    ModelFacts("gemini-3.8-live", "gemini", "live", 131_072, GEMINI_3_8_LIVE_PRICES, low_media_resolution=True),
    # Reasons in the background: its turn stays open while interactionStatus is IN_PROGRESS (gemini/messages.py);
    # its functions are asynchronous only (its model page), which NON_BLOCKING declarations are.
    ModelFacts(
        "gemini-3.8-live-extended-thinking",
        "gemini",
        "live",
        131_072,
        GEMINI_3_8_LIVE_PRICES,
        low_media_resolution=True,
    ),
    ModelFacts(
        "gemini-3.1-flash-live-preview",
        "gemini",
        "live",
        131_072,
        GEMINI_3_1_LIVE_PRICES,
        blocking_only=True,
        low_media_resolution=True,
    ),
    ModelFacts(
        "gemini-2.5-flash-native-audio-preview-12-2025",
        "gemini",
        "live",
        131_072,
        GEMINI_2_5_LIVE_PRICES,
        low_media_resolution=True,
    ),
    # Gemini text: 3.5 Flash-Lite, GA 2026-07-21, no shutdown announced [G-dep]; named the replacement of 2.5 Flash.
    ModelFacts("gemini-3.5-flash-lite", "gemini", "text", 1_048_576, GEMINI_3_5_FLASH_LITE_PRICES),
    ModelFacts(
        "gemini-2.5-flash",
        "gemini",
        "text",
        1_048_576,
        GEMINI_2_5_FLASH_PRICES,
        shutdown=GEMINI_2_5_FLASH_SHUTDOWN,
        replacement="gemini-3.5-flash-lite",
    ),
    # OpenAI Realtime [O-pkg]: gpt-realtime and gpt-realtime-mini shut down 2027-01-20; the 2.x models and 1.5 have
    # no shutdown announced. Replacements as migrated by voice platforms (Retell's notice of 2027-01-19).
    ModelFacts(
        "gpt-realtime",
        "openai",
        "live",
        32_000,
        GPT_REALTIME_PRICES,
        shutdown=REALTIME_1_SHUTDOWN,
        replacement="gpt-realtime-2.1",
    ),
    ModelFacts("gpt-realtime-1.5", "openai", "live", 32_000, GPT_REALTIME_PRICES),
    ModelFacts(
        "gpt-realtime-mini",
        "openai",
        "live",
        32_000,
        GPT_REALTIME_MINI_PRICES,
        shutdown=REALTIME_1_SHUTDOWN,
        replacement="gpt-realtime-2.1-mini",
    ),
    ModelFacts("gpt-realtime-2", "openai", "live", 128_000, GPT_REALTIME_2_PRICES),
    ModelFacts("gpt-realtime-2.1", "openai", "live", 128_000, GPT_REALTIME_2_PRICES),
    ModelFacts("gpt-realtime-2.1-mini", "openai", "live", 128_000, GPT_REALTIME_MINI_PRICES),
    # OpenAI text: gpt-6-luna (released 2026-09-22, in [O-pkg] ChatModel, no shutdown) replaces gpt-4.1-mini [O-dep].
    # Reasons by default ("medium"); "none" is one of its efforts (openai 3.63.0's ReasoningEffort; LiteLLM's notes).
    ModelFacts("gpt-6-luna", "openai", "text", 1_050_000, GPT_6_LUNA_PRICES, reasoning_effort="none"),
    ModelFacts(
        "gpt-4.1-mini",
        "openai",
        "text",
        1_047_576,
        GPT_4_1_MINI_PRICES,
        shutdown=GPT_4_1_SHUTDOWN,
        replacement="gpt-6-luna",
    ),
    # OpenAI transcription of the student in a Realtime session. gpt-transcribe: $0.0045 a minute, "committed turns
    # in Realtime sessions over WebSocket", keyword and language hints [O-model]; gpt-live-transcribe and
    # gpt-realtime-whisper: $0.017 a minute [O-model]; the gpt-4o transcribers and whisper-1 shut down 2027-02-26,
    # replaced by "gpt-live-transcribe or gpt-transcribe" [O-dep]; whisper-1 $0.006 a minute [O-model].
    ModelFacts(
        "gpt-transcribe", "openai", "transcription", 16_000, Prices.per_minute(0.0045), transcription_hints="keywords"
    ),
    ModelFacts(
        "gpt-live-transcribe",
        "openai",
        "transcription",
        16_000,
        Prices.per_minute(0.017),
        transcription_hints="keywords",
    ),
    ModelFacts("gpt-realtime-whisper", "openai", "transcription", 16_000, Prices.per_minute(0.017)),
    ModelFacts(
        "gpt-4o-mini-transcribe",
        "openai",
        "transcription",
        16_000,
        GPT_4O_MINI_TRANSCRIBE_PRICES,
        shutdown=TRANSCRIBE_4O_SHUTDOWN,
        replacement="gpt-transcribe",
        transcription_hints="prompt",
    ),
    ModelFacts(
        "gpt-4o-transcribe",
        "openai",
        "transcription",
        16_000,
        GPT_4O_TRANSCRIBE_PRICES,
        shutdown=TRANSCRIBE_4O_SHUTDOWN,
        replacement="gpt-transcribe",
        transcription_hints="prompt",
    ),
    ModelFacts(
        "whisper-1",
        "openai",
        "transcription",
        16_000,
        Prices.per_minute(0.006),
        shutdown=TRANSCRIBE_4O_SHUTDOWN,
        replacement="gpt-transcribe",
        transcription_hints="keyword_prompt",
    ),
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
        """Every live model the table knows for the provider, shut down or not (a stored lesson may name one)."""
        return tuple(m.name for m in self.models if m.provider == provider and m.kind == "live")

    def offered_live_models(self, provider: str, today: dt.date | None = None) -> tuple[str, ...]:
        """The live models a lesson may still pick: those not shut down."""
        return tuple(m for m in self.live_models(provider) if self.lifecycle(m, today).state != "shut_down")

    def lifecycle(self, model: str, today: dt.date | None = None) -> Lifecycle:
        """Whether the model is shut down on `today` (from its shutdown date on), shuts down within
        RETIRING_WITHIN_DAYS, or neither (a model the table does not know, or with no shutdown announced)."""
        facts = self.model(model)
        if facts is None or facts.shutdown is None:
            return Lifecycle(model, "current")
        days = (facts.shutdown - (today or dt.date.today())).days
        state = "shut_down" if days <= 0 else "retiring" if days <= RETIRING_WITHIN_DAYS else "current"
        return Lifecycle(model, state, facts.shutdown, facts.replacement, days)

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
