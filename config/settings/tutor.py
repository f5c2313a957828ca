"""The live tutor: providers, browser-protocol limits, session timings, the context budget, prices and monthly
budgets, read from the environment; the engine's part is one typed value, TUTOR (tutor/config.py), that the apps
hand to the engine."""

from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured

from tutor.config import RunnerConfig, TutorConfig
from tutor.context import SummaryPolicy
from tutor.protocol import Limits
from tutor.providers.catalog import CATALOG, Prices
from tutor.providers.gemini.config import GeminiConfig
from tutor.providers.offline.config import OfflineConfig
from tutor.providers.offline.free_speech import parse_models
from tutor.providers.offline.pool import workers_default
from tutor.providers.openai.config import OpenAIConfig
from tutor.throttle import AudioPace, TypingPace

from .env import env

TUTOR = TutorConfig(
    # "" picks the first provider whose key is set (gemini, then openai), else the offline tutor.
    provider=env.str("TUTOR_PROVIDER", default=""),
    # When a session's provider fails past its retries, the session goes on with the next of these that has
    # a key ("off": it ends instead).
    failover=tuple(p for p in env.list("TUTOR_FAILOVER", default=["gemini", "openai", "offline"]) if p != "off"),
    gemini=GeminiConfig(
        api_key=env.str("GEMINI_API_KEY", default=""),
        # The stable (GA) Live model; a lesson may pick another (docs/providers/gemini.md).
        live_model=env.str("GEMINI_LIVE_MODEL", default="gemini-3.8-live"),
        text_model=env.str("GEMINI_TEXT_MODEL", default="gemini-3.5-flash-lite"),
        api_version=env.str("GEMINI_API_VERSION", default="v1beta"),
        base_url=env.str("GEMINI_BASE_URL", default="") or None,  # None: Google's endpoint
        # A private CA for GEMINI_BASE_URL (a proxy, the tests' fake).
        ca_file=env.str("GEMINI_CA_FILE", default="") or None,
        # Microphone audio is sent in chunks of this length: CPU against delay, measured by `make bench`.
        audio_chunk_ms=env.int("GEMINI_AUDIO_CHUNK_MS", default=40),
        default_voice=env.str("GEMINI_DEFAULT_VOICE", default="Puck"),
        # Who decides when the student's turn ends: "app" (tutor/turntaking, the same for every tutor; the
        # service's detection off, activityStart/activityEnd sent) or "service" (Gemini's own detection).
        activity_detection=env.str("GEMINI_ACTIVITY_DETECTION", default="app"),
        # "service" only: the silence after which the service decides the student has finished; unset, each
        # lesson's patience decides (by its level: 1500 ms at A1 down to 560 ms at C1-C2; tutor/patience.py).
        silence_duration_ms=env.int("GEMINI_SILENCE_DURATION_MS", default=None),
    ),
    openai=OpenAIConfig(
        api_key=env.str("OPENAI_API_KEY", default=""),
        # How the key is sent: bearer (OpenAI; an Azure Entra ID token) or api-key (an Azure resource key).
        auth=env.str("OPENAI_AUTH", default="bearer"),
        base_url=env.str("OPENAI_BASE_URL", default="https://api.openai.com/v1"),
        ca_file=env.str("OPENAI_CA_FILE", default="") or None,  # a private CA for OPENAI_BASE_URL
        realtime_model=env.str("OPENAI_REALTIME_MODEL", default="gpt-realtime-2.1"),
        text_model=env.str("OPENAI_TEXT_MODEL", default="gpt-6-luna"),
        default_voice=env.str("OPENAI_DEFAULT_VOICE", default="marin"),
        transcription_model=env.str("OPENAI_TRANSCRIPTION_MODEL", default="gpt-transcribe"),
        # "app": the app decides when the student's turn ends (tutor/turntaking; turn detection off, each turn
        # committed and answered); "semantic_vad" or "server_vad": the service's own detection.
        turn_detection=env.str("OPENAI_TURN_DETECTION", default="app"),
        # semantic_vad: low, medium, high, auto; unset, each lesson's patience decides (low at A1-A2, high at C1-C2).
        eagerness=env.str("OPENAI_VAD_EAGERNESS", default="") or None,
        vad_threshold=env.float("OPENAI_VAD_THRESHOLD", default=0.5),  # server_vad: raise it in noisy rooms
        # server_vad: the pause that ends a turn; unset, each lesson's patience decides.
        vad_silence_ms=env.int("OPENAI_VAD_SILENCE_MS", default=None),
        noise_reduction=env.str("OPENAI_NOISE_REDUCTION", default="near_field") or None,  # far_field, or ""
    ),
    offline=OfflineConfig(
        # Processes that recognize spoken answers (tutor/providers/offline/pool.py).
        recognizer_workers=env.int("OFFLINE_RECOGNIZER_WORKERS", default=workers_default()),
        # Free speech recognition for what fits none of the lesson's sentences: language=engine, where engine
        # is pocketsphinx (English, its model ships in the wheel) or vosk:/path/to/a/vosk/model.
        speech_models=parse_models(env.str("OFFLINE_SPEECH_MODELS", default="en=pocketsphinx")),
    ),
    # USD per million tokens, by model: {"model": [text in, audio in, cached in, text out, audio out, image in]}, and a
    # seventh value, USD per minute, for a model billed by the minute (docs/costs.md).
    catalog=CATALOG.with_prices(
        {model: Prices.of(values) for model, values in env.json("TUTOR_PRICES_JSON", default={}).items()}
    ),
    # Browser protocol v1 limits (docs/protocol.md).
    limits=Limits(
        max_audio_frame_bytes=env.int("LIVE_MAX_AUDIO_FRAME_BYTES", default=6400),  # 200 ms at 16 kHz
        # Daphne refuses WebSocket messages over 1 MiB; a base64 picture of 700 KiB stays under it.
        max_image_bytes=env.int("LIVE_MAX_IMAGE_BYTES", default=700 * 1024),
        max_text_chars=env.int("LIVE_MAX_TEXT_CHARS", default=2000),
    ),
    audio_pace=AudioPace(
        max_speedup=env.float("LIVE_AUDIO_MAX_SPEEDUP", default=1.5),
        burst_seconds=env.float("LIVE_AUDIO_BURST_SECONDS", default=2.0),
        close_after_seconds=env.float("LIVE_AUDIO_FLOOD_CLOSE_SECONDS", default=5.0),
    ),
    # Typed messages: this many at once, then this many a minute (a script flooding the tutor is refused).
    typing_pace=TypingPace(
        burst=env.int("LIVE_TEXT_BURST", default=5),
        per_minute=env.float("LIVE_TEXT_PER_MINUTE", default=20.0),
    ),
    min_image_interval_seconds=env.float("LIVE_MIN_IMAGE_INTERVAL_SECONDS", default=1.0),
    runner=RunnerConfig(
        idle_timeout=env.float("LIVE_IDLE_TIMEOUT_SECONDS", default=180.0),
        reconnect_grace=env.float("LIVE_RECONNECT_GRACE_SECONDS", default=30.0),
        retries=env.int("LIVE_PROVIDER_RETRIES", default=3),
        backoff=env.float("LIVE_PROVIDER_BACKOFF_SECONDS", default=0.5),
        max_memory_chars=env.int("TUTOR_MEMORY_MAX_CHARS", default=1200),
    ),
    # Every turn re-bills the whole context, so a smaller context is cheaper and faster: the budget is the
    # smaller of this and the model's window (docs/context.md).
    summaries=SummaryPolicy(
        budget_tokens=env.int("TUTOR_CONTEXT_BUDGET_TOKENS", default=16_000),
        trigger_share=env.float("TUTOR_SUMMARY_TRIGGER_SHARE", default=0.6),
        every_turns=env.int("TUTOR_SUMMARY_EVERY_TURNS", default=24),
        min_turns=env.int("TUTOR_SUMMARY_MIN_TURNS", default=6),
        recent_turns=env.int("TUTOR_RECENT_TURNS_KEPT", default=8),
    ),
    # A session left live this long after the last thing said (its server stopped, its browser never came
    # back) is ended by the stale-session task, so it still gets its report.
    stale_after_minutes=env.int("LIVE_STALE_AFTER_MINUTES", default=30),
)

# The site's budget for the tutor services each month, in USD ("" for none); a class may have its own
# (docs/costs.md). Once one is spent, new sessions run on the offline tutor ("offline") or are refused ("refuse").
_site_budget = env.str("TUTOR_MONTHLY_BUDGET_USD", default="").strip()
TUTOR_MONTHLY_BUDGET_USD: Decimal | None = Decimal(_site_budget) if _site_budget else None
TUTOR_OVER_BUDGET: str = env.str("TUTOR_OVER_BUDGET", default="offline")
if TUTOR_OVER_BUDGET not in ("offline", "refuse"):
    raise ImproperlyConfigured(f"TUTOR_OVER_BUDGET must be offline or refuse, not {TUTOR_OVER_BUDGET!r}")
