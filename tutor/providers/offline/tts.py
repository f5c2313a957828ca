"""Speech synthesis with eSpeak NG (the `espeakng-loader` wheel ships the library and ~100 languages).

eSpeak keeps global state, so one engine serves the whole process behind a lock; a sentence takes a
few milliseconds, so callers on the event loop use `asyncio.to_thread` and never wait long. eSpeak also
says where each word starts in its audio, which the recognizer uses to score an answer word by word.
"""

import ctypes
import threading
from dataclasses import dataclass
from functools import cache

import espeakng_loader

from tutor.audio import resample

AUDIO_OUTPUT_SYNCHRONOUS = 2
POS_CHARACTER = 1
ESPEAK_CHARS_UTF8 = 1
ESPEAK_RATE = 1
ESPEAK_PITCH = 3
EVENT_LIST_TERMINATED = 0
EVENT_WORD = 1
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


class _Event(ctypes.Structure):
    """espeak_EVENT (speak_lib.h); `sample` is the event's position in the output, in samples."""

    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),  # 1-based, in characters
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),
    ]


@dataclass(frozen=True, slots=True)
class WordMark:
    """Where eSpeak began a word: its characters in the text (0-based) and its first sample."""

    start_char: int
    length: int
    sample: int


@dataclass(frozen=True, slots=True)
class Speech:
    pcm: bytes  # PCM16 mono
    rate: int
    words: tuple[WordMark, ...]


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
        self._words: list[WordMark] = []
        self._callback = _Callback(self._collect)  # kept referenced: ctypes must not free it
        self._lib.espeak_SetSynthCallback(self._callback)
        self._lock = threading.Lock()

    def _collect(self, samples, count, events) -> int:
        if events:
            listed = ctypes.cast(events, ctypes.POINTER(_Event))
            index = 0
            while (event := listed[index]).type != EVENT_LIST_TERMINATED:
                if event.type == EVENT_WORD:
                    self._words.append(WordMark(event.text_position - 1, event.length, event.sample))
                index += 1
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

    def synthesize(self, text: str, *, language: str, variant: str = "f2", words_per_minute: int = 155) -> Speech:
        """PCM16 mono at `self.rate` (22,050 Hz), with where each word starts."""
        encoded = text.encode()
        with self._lock:
            self._select_voice(language, variant)
            self._lib.espeak_SetParameter(ESPEAK_RATE, words_per_minute, 0)
            self._chunks, self._words = [], []
            status = self._lib.espeak_Synth(
                encoded, len(encoded) + 1, 0, POS_CHARACTER, 0, ESPEAK_CHARS_UTF8, None, None
            )
            self._lib.espeak_Synchronize()
            speech = Speech(b"".join(self._chunks), self.rate, tuple(self._words))
            self._chunks, self._words = [], []
        if status != 0:
            raise SpeechSynthesisError(f"eSpeak NG failed with status {status}")
        return speech


_starting = threading.Lock()


@cache
def _engine() -> Espeak:
    return Espeak()


def engine() -> Espeak:
    """The one engine; two threads must never start eSpeak at once (it crashes)."""
    with _starting:
        return _engine()


def speak(text: str, *, language: str, rate: int, variant: str = "f2", pace: str = "natural") -> bytes:
    """Text to PCM16 mono at `rate` Hz, in the language's eSpeak voice."""
    return speak_words(text, language=language, rate=rate, variant=variant, pace=pace).pcm


def speak_words(text: str, *, language: str, rate: int, variant: str = "f2", pace: str | int = "natural") -> Speech:
    """`speak`, keeping where each word starts (in samples at `rate`); `pace` may be words per minute."""
    espeak = engine()
    words_per_minute = pace if isinstance(pace, int) else WORDS_PER_MINUTE[pace]
    speech = espeak.synthesize(text, language=language, variant=variant, words_per_minute=words_per_minute)
    words = tuple(WordMark(w.start_char, w.length, w.sample * rate // speech.rate) for w in speech.words)
    return Speech(resample(speech.pcm, speech.rate, rate), rate, words)
