"""Speech synthesis with eSpeak NG (the `espeakng-loader` wheel ships the library and ~100 languages).

eSpeak keeps global state, so one engine serves the whole process behind a lock; a sentence takes a
few milliseconds, so callers on the event loop use `asyncio.to_thread` and never wait long.
"""

import ctypes
import threading
from functools import cache

import espeakng_loader

from tutor.audio import resample

AUDIO_OUTPUT_SYNCHRONOUS = 2
POS_CHARACTER = 1
ESPEAK_CHARS_UTF8 = 1
ESPEAK_RATE = 1
ESPEAK_PITCH = 3
WORDS_PER_MINUTE = {"slow": 125, "natural": 155, "fast": 180}

_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class _Voice(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_char_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


class SpeechSynthesisError(Exception):
    pass


class Espeak:
    """The process-wide eSpeak NG engine."""

    def __init__(self) -> None:
        self._lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self._lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        self._lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
            ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        self._lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self._lib.espeak_GetCurrentVoice.restype = ctypes.POINTER(_Voice)
        self.rate = self._lib.espeak_Initialize(
            AUDIO_OUTPUT_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0
        )
        if self.rate <= 0:
            raise SpeechSynthesisError("eSpeak NG could not start")
        self._chunks: list[bytes] = []
        self._callback = _Callback(self._collect)  # kept referenced: ctypes must not free it
        self._lib.espeak_SetSynthCallback(self._callback)
        self._lock = threading.Lock()

    def _collect(self, samples, count, events) -> int:
        if count > 0:
            self._chunks.append(ctypes.string_at(samples, count * 2))
        return 0

    def _select_voice(self, language: str, variant: str) -> None:
        """Choose by language (fr-FR, ja-JP), then apply the variant (f2, m3) to that voice."""
        wanted = _Voice(None, language.lower().encode(), None, 0, 0, 0, 0, 0, None)
        if self._lib.espeak_SetVoiceByProperties(ctypes.byref(wanted)) != 0:
            base = language.split("-")[0].lower().encode()
            if self._lib.espeak_SetVoiceByName(base) != 0:
                raise SpeechSynthesisError(f"eSpeak NG has no voice for {language!r}")
        identifier = self._lib.espeak_GetCurrentVoice().contents.identifier.decode().split("+")[0]
        self._lib.espeak_SetVoiceByName(f"{identifier}+{variant}".encode())

    def synthesize(self, text: str, *, language: str, variant: str = "f2", words_per_minute: int = 155) -> bytes:
        """PCM16 mono at `self.rate` (22,050 Hz)."""
        encoded = text.encode()
        with self._lock:
            self._select_voice(language, variant)
            self._lib.espeak_SetParameter(ESPEAK_RATE, words_per_minute, 0)
            self._chunks = []
            status = self._lib.espeak_Synth(
                encoded, len(encoded) + 1, 0, POS_CHARACTER, 0, ESPEAK_CHARS_UTF8, None, None
            )
            self._lib.espeak_Synchronize()
            pcm, self._chunks = b"".join(self._chunks), []
        if status != 0:
            raise SpeechSynthesisError(f"eSpeak NG failed with status {status}")
        return pcm


@cache
def engine() -> Espeak:
    return Espeak()


def speak(text: str, *, language: str, rate: int, variant: str = "f2", pace: str = "natural") -> bytes:
    """Text to PCM16 mono at `rate` Hz, in the language's eSpeak voice."""
    espeak = engine()
    pcm = espeak.synthesize(text, language=language, variant=variant, words_per_minute=WORDS_PER_MINUTE[pace])
    return resample(pcm, espeak.rate, rate)
