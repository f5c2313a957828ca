"""The offline tutor's settings."""

from dataclasses import dataclass, field

from .free_speech import SpeechModel
from .pool import workers_default


@dataclass(frozen=True)
class OfflineConfig:
    chunk_ms: int = 40
    lead_ms: int = 300  # audio is sent this far ahead of real time, like the networked services
    # After its last sample is due, the browser's jitter buffer still plays this long: the tutor is
    # still heard, so speech over it is still a barge-in.
    playback_margin_ms: int = 200
    # False (tests): send each line at once and finish its turn at once; nothing is left to interrupt.
    realtime: bool = True
    recognize_speech: bool = True
    # At a silence of listen_ms the utterance so far is recognized; if the expected answer was heard in it,
    # the turn ends once the silence reaches early_end_ms (extendable_end_ms for an answer that a longer
    # expected one extends). Otherwise the lesson's patience (tutor/patience.py) ends the turn.
    listen_ms: int = 40
    early_end_ms: int = 100
    extendable_end_ms: int = 400
    trailing_speech_ms: int = 300  # more speech than this after the answer: the learner is saying more
    recognizer_workers: int = field(default_factory=workers_default)  # processes (OFFLINE_RECOGNIZER_WORKERS)
    unclear_below: float = 0.5  # a word heard with less confidence gets a pronunciation note
    # Free speech recognition by language, for what fits none of the lesson's sentences (OFFLINE_SPEECH_MODELS).
    speech_models: tuple[tuple[str, SpeechModel], ...] = (("en", SpeechModel("pocketsphinx")),)
