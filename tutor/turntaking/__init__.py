"""Turn-taking built for learners: when a student's turn ends, and which sounds interrupt the tutor.

A voice activity detector on every frame (Silero's) and, at each pause, a model that hears whether the
utterance is finished (final lowering of the voice; Smart Turn v3.2 is the other one measured): finished,
the turn ends after a short silence; unfinished, it waits for the level's patience with a "Take your
time…" cue. While the tutor speaks, a backchannel, a filler or a cough
is not an interruption; real speech is. Plain asyncio and numpy, no Django (docs/turn-taking.md).

    listener = TurnListener(policy=TurnPolicy.for_patience(patience_for(level)), emit=inbox.post)
    listener.feed(pcm16_16k)             # every frame from the browser
    listener.tutor_speaking(True/False)  # when the tutor's audio starts and stops playing
"""

from .detector import Check, TurnDetector
from .events import (
    Interruption,
    PauseHeard,
    SoundIgnored,
    SoundStarted,
    SpeechResumed,
    SpeechStarted,
    StillThinking,
    Stuck,
    TurnEnded,
    TurnEvent,
)
from .listener import TurnListener, default_model, default_vad
from .model import SmartTurn, TurnModel, smart_turn
from .policy import TurnPolicy
from .prosody import FinalLowering

__all__ = [
    "Check",
    "FinalLowering",
    "Interruption",
    "PauseHeard",
    "SmartTurn",
    "SoundIgnored",
    "SoundStarted",
    "SpeechResumed",
    "SpeechStarted",
    "StillThinking",
    "Stuck",
    "TurnDetector",
    "TurnEnded",
    "TurnEvent",
    "TurnListener",
    "TurnModel",
    "TurnPolicy",
    "default_model",
    "default_vad",
    "smart_turn",
]
