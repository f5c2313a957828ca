"""The voices each provider accepts, so a lesson's voice is checked before a session fails on it."""

# Gemini Live prebuilt voices (the service's documented list; default Puck).
GEMINI_VOICES = (
    "Zephyr", "Puck", "Charon", "Kore", "Fenrir", "Leda", "Orus", "Aoede", "Callirrhoe", "Autonoe",
    "Enceladus", "Iapetus", "Umbriel", "Algieba", "Despina", "Erinome", "Algenib", "Rasalgethi",
    "Laomedeia", "Achernar", "Alnilam", "Schedar", "Gacrux", "Pulcherrima", "Achird", "Zubenelgenubi",
    "Vindemiatrix", "Sadachbia", "Sadaltager", "Sulafat",
)  # fmt: skip

# OpenAI Realtime (GA) voices; fable, onyx and nova are refused by the service.
OPENAI_VOICES = ("alloy", "ash", "ballad", "coral", "echo", "sage", "shimmer", "verse", "marin", "cedar")

# eSpeak NG voice variants for the offline tutor (female f1-f4, male m1-m4).
OFFLINE_VOICES = ("f1", "f2", "f3", "f4", "m1", "m2", "m3", "m4")

VOICES = {"gemini": GEMINI_VOICES, "openai": OPENAI_VOICES, "offline": OFFLINE_VOICES}
DEFAULT_VOICES = {"gemini": "Puck", "openai": "marin", "offline": "f2"}


def is_valid_voice(provider: str, voice: str) -> bool:
    """Blank means the provider's default and is always valid."""
    return not voice or voice in VOICES.get(provider, ())


def voice_for(provider: str, voice: str, default: str | None = None) -> str:
    """The lesson's voice if the provider accepts it, else the configured or built-in default."""
    if voice and voice in VOICES.get(provider, ()):
        return voice
    return default or DEFAULT_VOICES[provider]
