"""A transcript of what the student actually said, for when the constrained recognizer heard none of the
lesson's sentences: free speech recognition, where a model is at hand without a download.

pocketsphinx's wheel ships an English model, so English lessons have one by default; for any other
language an operator may name a Vosk model directory (OFFLINE_SPEECH_MODELS, `docs/providers/offline.md`).
Models load once per worker process (pool.py) and are kept.
"""

import atexit
import json
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from ...audio import INPUT_RATE as RATE  # what the browser sends and every recognizer hears

ENGINES = ("pocketsphinx", "vosk")


class Transcriber(Protocol):
    def transcribe(self, pcm16k: bytes) -> str: ...


@dataclass(frozen=True, slots=True)
class SpeechModel:
    """Which engine, and for Vosk which model directory, transcribes a language."""

    engine: str
    path: str = ""

    @classmethod
    def parse(cls, text: str) -> "SpeechModel":
        """`pocketsphinx` (its English model) or `vosk:/path/to/model`; anything else is a clear error."""
        engine, _, path = text.partition(":")
        if engine not in ENGINES:
            raise ValueError(f"unknown speech engine {engine!r} in {text!r}: use pocketsphinx or vosk:/model/dir")
        if engine == "vosk" and not Path(path).is_dir():
            raise ValueError(f"no Vosk model directory at {path!r}: name it as vosk:/path/to/model")
        return cls(engine, path)


def parse_models(text: str) -> tuple[tuple[str, SpeechModel], ...]:
    """OFFLINE_SPEECH_MODELS: `en=pocketsphinx,ko=vosk:/srv/vosk-model-small-ko-0.22`."""
    models = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        language, _, spec = item.partition("=")
        if not language or not spec:
            raise ValueError(f"OFFLINE_SPEECH_MODELS: expected language=engine, not {item!r}")
        models.append((language.strip().lower(), SpeechModel.parse(spec.strip())))
    return tuple(models)


def model_for(language: str, models: tuple[tuple[str, SpeechModel], ...]) -> SpeechModel | None:
    """The model for `language` (fr-FR, then fr); None: no free speech for this lesson."""
    lowered = language.lower()
    return dict(models).get(lowered) or dict(models).get(lowered.split("-")[0])


class PocketSphinx:
    """CMU PocketSphinx with the US English model its wheel ships."""

    def __init__(self) -> None:
        from pocketsphinx import Decoder  # imported here: only English lessons load it

        self._decoder = Decoder(samprate=RATE, loglevel="FATAL")
        self._lock = threading.Lock()

    def transcribe(self, pcm16k: bytes) -> str:
        with self._lock:
            self._decoder.start_utt()
            self._decoder.process_raw(pcm16k, full_utt=True)
            self._decoder.end_utt()
            hypothesis = self._decoder.hyp()
        return hypothesis.hypstr if hypothesis is not None else ""


class Vosk:
    """A Kaldi model through Vosk, from the directory the operator named."""

    def __init__(self, path: str) -> None:
        import vosk  # imported here: only a site that names a Vosk model loads it

        vosk.SetLogLevel(-1)
        self._vosk = vosk
        self._model = vosk.Model(path)

    def transcribe(self, pcm16k: bytes) -> str:
        recognizer = self._vosk.KaldiRecognizer(self._model, RATE)
        recognizer.AcceptWaveform(pcm16k)
        return str(json.loads(recognizer.FinalResult()).get("text", ""))


@cache
def transcriber(model: SpeechModel) -> Transcriber:
    return PocketSphinx() if model.engine == "pocketsphinx" else Vosk(model.path)


# Free the models while their libraries are still loaded: Vosk's finalizer fails at interpreter teardown.
atexit.register(transcriber.cache_clear)
