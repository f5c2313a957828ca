"""The fake microphone's input: speech synthesized with eSpeak NG, between silences, as a WAV file."""

import wave
from pathlib import Path

from tutor.audio import silence
from tutor.providers.offline.tts import speak

RATE = 16_000


def said(text: str, *, language: str, variant: str = "m1") -> bytes:
    """PCM16 at 16 kHz. Voice m1 is one the offline tutor's recognizer was not built from, like a learner."""
    return speak(text, language=language, rate=RATE, variant=variant)


def quiet(ms: float) -> bytes:
    return silence(round(ms), RATE)


def seconds(pcm: bytes) -> float:
    return len(pcm) / 2 / RATE


def write_wav(path: Path, pcm: bytes) -> Path:
    """16-bit mono PCM WAV, the format Chromium's fake capture device reads."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(pcm)
    return path
