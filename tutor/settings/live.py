"""Live sessions: providers, browser-protocol limits, the context budget and prices."""

from .env import env

# "" picks the first provider whose key is set (gemini, then openai), else the offline tutor.
TUTOR_PROVIDER = env.str("TUTOR_PROVIDER", default="")

GEMINI_API_KEY = env.str("GEMINI_API_KEY", default="")
# The stable (GA) Live model; a lesson may pick another (docs/providers/gemini.md).
GEMINI_LIVE_MODEL = env.str("GEMINI_LIVE_MODEL", default="gemini-3.8-live")
GEMINI_TEXT_MODEL = env.str("GEMINI_TEXT_MODEL", default="gemini-2.5-flash")
GEMINI_API_VERSION = env.str("GEMINI_API_VERSION", default="v1beta")
GEMINI_BASE_URL = env.str("GEMINI_BASE_URL", default="")  # "" = Google's endpoint
GEMINI_DEFAULT_VOICE = env.str("GEMINI_DEFAULT_VOICE", default="Puck")
GEMINI_CA_FILE = env.str("GEMINI_CA_FILE", default="")  # a private CA for GEMINI_BASE_URL (a proxy, the tests' fake)
# Microphone audio is sent in chunks of this length: CPU against delay, measured by `make bench`.
GEMINI_AUDIO_CHUNK_MS = env.int("GEMINI_AUDIO_CHUNK_MS", default=40)
# Silence after which the service decides the student has finished: learners pause to find words.
GEMINI_SILENCE_DURATION_MS = env.int("GEMINI_SILENCE_DURATION_MS", default=800)

OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
OPENAI_REALTIME_MODEL = env.str("OPENAI_REALTIME_MODEL", default="gpt-realtime")
OPENAI_TEXT_MODEL = env.str("OPENAI_TEXT_MODEL", default="gpt-4.1-mini")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="https://api.openai.com/v1")
OPENAI_DEFAULT_VOICE = env.str("OPENAI_DEFAULT_VOICE", default="marin")
OPENAI_TRANSCRIPTION_MODEL = env.str("OPENAI_TRANSCRIPTION_MODEL", default="gpt-4o-mini-transcribe")
OPENAI_TURN_DETECTION = env.str("OPENAI_TURN_DETECTION", default="semantic_vad")  # or server_vad
OPENAI_VAD_EAGERNESS = env.str("OPENAI_VAD_EAGERNESS", default="auto")  # semantic_vad: low, medium, high, auto
OPENAI_VAD_THRESHOLD = env.float("OPENAI_VAD_THRESHOLD", default=0.5)  # server_vad: raise it in noisy rooms
OPENAI_VAD_SILENCE_MS = env.int("OPENAI_VAD_SILENCE_MS", default=500)  # server_vad: the pause that ends a turn
OPENAI_NOISE_REDUCTION = env.str("OPENAI_NOISE_REDUCTION", default="near_field")  # far_field, or "" for none

# Offline tutor: how fast eSpeak NG speaks the tutor's lines.
OFFLINE_SPEECH_RATE_WPM = env.int("OFFLINE_SPEECH_RATE_WPM", default=150)

# Browser protocol v1 limits (docs/protocol.md).
LIVE_MAX_AUDIO_FRAME_BYTES = env.int("LIVE_MAX_AUDIO_FRAME_BYTES", default=6400)  # 200 ms at 16 kHz
# Daphne refuses WebSocket messages over 1 MiB; a base64 picture of 700 KiB stays under it.
LIVE_MAX_IMAGE_BYTES = env.int("LIVE_MAX_IMAGE_BYTES", default=700 * 1024)
LIVE_MAX_TEXT_CHARS = env.int("LIVE_MAX_TEXT_CHARS", default=2000)
LIVE_MIN_IMAGE_INTERVAL_SECONDS = env.float("LIVE_MIN_IMAGE_INTERVAL_SECONDS", default=1.0)
LIVE_AUDIO_BURST_SECONDS = env.float("LIVE_AUDIO_BURST_SECONDS", default=2.0)
LIVE_AUDIO_MAX_SPEEDUP = env.float("LIVE_AUDIO_MAX_SPEEDUP", default=1.5)
LIVE_AUDIO_FLOOD_CLOSE_SECONDS = env.float("LIVE_AUDIO_FLOOD_CLOSE_SECONDS", default=5.0)
LIVE_IDLE_TIMEOUT_SECONDS = env.float("LIVE_IDLE_TIMEOUT_SECONDS", default=180.0)
LIVE_RECONNECT_GRACE_SECONDS = env.float("LIVE_RECONNECT_GRACE_SECONDS", default=30.0)
# A session left live this long after the last thing said (its server stopped, its browser never came
# back) is ended by the end_stale_sessions task, so it still gets its report.
LIVE_STALE_AFTER_MINUTES = env.int("LIVE_STALE_AFTER_MINUTES", default=30)
LIVE_PROVIDER_RETRIES = env.int("LIVE_PROVIDER_RETRIES", default=3)
LIVE_PROVIDER_BACKOFF_SECONDS = env.float("LIVE_PROVIDER_BACKOFF_SECONDS", default=0.5)

# Context budget: each model's window in tokens, and when to summarise (docs/context.md).
TUTOR_CONTEXT_WINDOWS = {
    "gemini-2.5-flash-native-audio-preview-12-2025": 131_072,
    "gemini-3.8-live": 131_072,
    "gemini-3.1-flash-live-preview": 131_072,
    "gpt-realtime": 32_000,
    "gpt-realtime-1.5": 32_000,
    "gpt-realtime-mini": 32_000,
    "gpt-realtime-2": 128_000,
    "gpt-realtime-2.1": 128_000,
    "gpt-realtime-2.1-mini": 128_000,
    "offline": 32_000,
}
TUTOR_DEFAULT_CONTEXT_WINDOW = 32_000
# What a session may send the model, whatever its window: every turn re-bills the whole context, so a
# smaller context is cheaper and faster. The budget is the smaller of this and the model's window.
TUTOR_CONTEXT_BUDGET_TOKENS = env.int("TUTOR_CONTEXT_BUDGET_TOKENS", default=16_000)
TUTOR_SUMMARY_TRIGGER_SHARE = env.float("TUTOR_SUMMARY_TRIGGER_SHARE", default=0.6)
TUTOR_SUMMARY_EVERY_TURNS = env.int("TUTOR_SUMMARY_EVERY_TURNS", default=24)
TUTOR_SUMMARY_MIN_TURNS = env.int("TUTOR_SUMMARY_MIN_TURNS", default=6)
TUTOR_RECENT_TURNS_KEPT = env.int("TUTOR_RECENT_TURNS_KEPT", default=8)
TUTOR_MEMORY_MAX_CHARS = env.int("TUTOR_MEMORY_MAX_CHARS", default=1200)
# Audio tokens a second of speech, by provider, where the provider reports no usage.
TUTOR_AUDIO_TOKENS_PER_SECOND = {"gemini": (32, 32), "openai": (10, 20), "offline": (25, 25)}

# USD per million tokens: (text in, audio in, cached in, text out, audio out, image in).
# Gemini's Live rates are the published rates of the 2.5 native-audio model; override with
# TUTOR_PRICES_JSON when they change.
TUTOR_PRICES = {
    "gemini-2.5-flash-native-audio-preview-12-2025": (0.50, 3.00, 0.125, 2.00, 12.00, 3.00),
    "gemini-3.8-live": (0.50, 3.00, 0.125, 2.00, 12.00, 3.00),
    "gemini-3.1-flash-live-preview": (0.50, 3.00, 0.125, 2.00, 12.00, 3.00),
    "gpt-realtime": (4.00, 32.00, 0.40, 16.00, 64.00, 5.00),
    "gpt-realtime-1.5": (4.00, 32.00, 0.40, 16.00, 64.00, 5.00),
    "gpt-realtime-2": (4.00, 32.00, 0.40, 24.00, 64.00, 5.00),
    "gpt-realtime-2.1": (4.00, 32.00, 0.40, 24.00, 64.00, 5.00),
    "gpt-realtime-mini": (0.60, 10.00, 0.30, 2.40, 20.00, 0.80),
    "gpt-realtime-2.1-mini": (0.60, 10.00, 0.30, 2.40, 20.00, 0.80),
    "offline": (0, 0, 0, 0, 0, 0),
}
TUTOR_PRICES.update({k: tuple(v) for k, v in env.json("TUTOR_PRICES_JSON", default={}).items()})
