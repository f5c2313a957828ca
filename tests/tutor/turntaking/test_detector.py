"""The decisions of turn-taking, frame by frame, with a VAD that hears any loud frame as speech and the turn
model's answers given by the test: every rule of the detector without a clock or a model."""

import numpy as np
import pytest

from tutor.patience import patience_for
from tutor.turntaking.detector import Check, TurnDetector
from tutor.turntaking.events import (
    Interruption,
    PauseHeard,
    SoundIgnored,
    SoundStarted,
    SpeechResumed,
    SpeechStarted,
    StillThinking,
    Stuck,
    TurnEnded,
)
from tutor.turntaking.policy import TurnPolicy

FRAME = 320  # 20 ms


class LoudVad:
    """Speech is any frame with a sample above a quiet floor; counts what it was asked."""

    frame_samples = FRAME

    def __init__(self) -> None:
        self.asked = 0

    def is_speech(self, frame: bytes) -> bool:
        self.asked += 1
        return bool(np.abs(np.frombuffer(frame, dtype="<i2")).max() > 1000)


def speech(ms: int) -> bytes:
    return np.full(16 * ms, 8000, dtype="<i2").tobytes()


def silence(ms: int) -> bytes:
    return bytes(32 * ms)


def detector(**changes) -> TurnDetector:
    return TurnDetector(TurnPolicy(**{"end_silence_ms": 1500, **changes}), LoudVad())


def of(kind: type, items: list) -> list:
    return [item for item in items if isinstance(item, kind)]


def test_a_turn_starts_once_enough_speech_was_heard_and_keeps_the_audio_from_before():
    turns = detector(start_ms=120)
    assert turns.feed(speech(100)) == []
    started = turns.feed(speech(40))
    assert of(SpeechStarted, started) == [SpeechStarted(120)]
    assert turns.in_turn


def test_a_pause_heard_as_finished_ends_the_turn_at_once():
    turns = detector()
    turns.feed(speech(600))
    (check,) = of(Check, turns.feed(silence(160)))
    assert check.silence_ms == 160
    assert check.pcm.startswith(speech(20))

    events = turns.verdict(check, 0.9)

    assert [type(e) for e in events] == [PauseHeard, TurnEnded]
    assert events[0].complete and events[0].probability == 0.9
    ended = events[1]
    assert ended.reason == "complete" and ended.at_ms == 760
    assert len(ended.pcm) == len(speech(600)), "the turn's audio is the speech, without the trailing silence"
    assert not turns.in_turn


def test_an_unfinished_utterance_waits_for_the_patience_with_the_cue_first():
    turns = detector(end_silence_ms=1100, cue_after_ms=450)
    turns.feed(speech(600))
    (check,) = of(Check, turns.feed(silence(200)))
    heard = turns.verdict(check, 0.2)
    assert heard == [PauseHeard(800, 160, 0.2, False)]

    cue = turns.feed(silence(260))
    assert cue == [StillThinking(1060, ends_after_ms=1100)]
    assert turns.feed(silence(600)) == []
    (ended,) = turns.feed(silence(40))
    assert isinstance(ended, TurnEnded) and ended.reason == "patience" and ended.at_ms == 1700


def test_a_verdict_that_comes_after_the_cue_moment_shows_the_cue_at_once():
    turns = detector(cue_after_ms=450)
    turns.feed(speech(600))
    (check,) = of(Check, turns.feed(silence(500)))
    assert [type(e) for e in turns.verdict(check, 0.1)] == [PauseHeard, StillThinking]


def test_no_cue_when_the_patience_is_no_longer_than_the_cue_moment():
    turns = detector(end_silence_ms=440, cue_after_ms=450)
    turns.feed(speech(600))
    (check,) = of(Check, turns.feed(silence(160)))
    turns.verdict(check, 0.1)
    assert [type(e) for e in turns.feed(silence(300))] == [TurnEnded]


def test_speech_that_resumes_makes_the_verdict_on_the_pause_stale():
    turns = detector()
    turns.feed(speech(600))
    (check,) = of(Check, turns.feed(silence(200)))
    turns.feed(speech(300))

    assert turns.verdict(check, 0.99) == []
    assert turns.in_turn


def test_speech_after_the_cue_says_so_and_the_next_pause_is_asked_again():
    turns = detector()
    turns.feed(speech(600))
    (check,) = of(Check, turns.feed(silence(160)))
    turns.verdict(check, 0.1)
    assert of(StillThinking, turns.feed(silence(400)))

    assert of(SpeechResumed, turns.feed(speech(200)))
    (again,) = of(Check, turns.feed(silence(160)))
    assert again.pause != check.pause
    assert of(TurnEnded, turns.verdict(again, 0.8))


def test_every_silence_named_in_the_policy_asks_the_model_once():
    turns = detector(check_after_ms=(160, 480))
    turns.feed(speech(600))
    checks = of(Check, turns.feed(silence(600)))
    assert [c.silence_ms for c in checks] == [160, 480]


def test_a_short_sound_while_the_tutor_speaks_is_ignored():
    turns = detector(interrupt_ms=700, sound_end_ms=300)
    turns.tutor_speaking(True)
    started = turns.feed(speech(400))
    assert of(SoundStarted, started)
    assert not of(SpeechStarted, started)

    (ignored,) = turns.feed(silence(300))
    assert isinstance(ignored, SoundIgnored) and ignored.duration_ms == 400
    assert not turns.in_turn


def test_speech_that_goes_on_while_the_tutor_speaks_interrupts_it_and_starts_the_turn():
    turns = detector(interrupt_ms=700, sound_end_ms=300)
    turns.tutor_speaking(True)
    events = turns.feed(speech(300) + silence(200) + speech(600))

    (interruption,) = of(Interruption, events)
    assert interruption.started_ms == 0
    assert interruption.at_ms == 900, "700 ms of voice, the short gap not counted"
    assert turns.in_turn


def test_a_student_already_answering_as_the_tutor_stops_has_begun_a_turn():
    turns = detector()
    turns.tutor_speaking(True)
    turns.feed(speech(300))
    assert turns.tutor_speaking(False) == [SpeechStarted(300)]
    assert turns.in_turn
    (check,) = of(Check, turns.feed(silence(160)))
    (ended,) = of(TurnEnded, turns.verdict(check, 0.9))
    assert len(ended.pcm) >= len(speech(300)), "the turn keeps the sound it began with"


def test_a_student_who_says_nothing_after_the_tutor_is_stuck_after_each_stretch_of_silence():
    turns = detector(stuck_after_ms=1000)
    turns.feed(silence(2000))
    assert turns.tutor_speaking(True) == []
    assert turns.feed(silence(2000)) == [], "nobody is stuck while the tutor speaks"
    turns.tutor_speaking(False)

    stuck = of(Stuck, turns.feed(silence(2100)))

    assert [(s.silence_ms, s.count) for s in stuck] == [(1000, 1), (2000, 2)]
    turns.feed(speech(200))
    assert not of(Stuck, turns.feed(silence(3000))), "speaking ends being stuck until the tutor speaks again"


def test_a_student_who_interrupted_is_not_stuck_while_waiting_for_the_answer_to_their_turn():
    turns = detector(stuck_after_ms=1000, interrupt_ms=300)
    turns.tutor_speaking(True)
    assert of(Interruption, turns.feed(speech(400)))
    turns.tutor_speaking(False)  # the host stopped the tutor's audio
    assert of(TurnEnded, turns.feed(silence(1600)))
    assert not of(Stuck, turns.feed(silence(3000)))


def test_the_microphone_going_off_ends_the_turn_with_what_was_said():
    turns = detector()
    turns.feed(speech(400) + silence(100))
    (ended,) = turns.flush()
    assert ended.reason == "microphone_off"
    assert turns.flush() == []


def test_a_host_that_heard_the_answer_ends_the_turn_in_the_pause_and_a_stale_verdict_changes_nothing():
    turns = detector()
    turns.feed(speech(600))
    (check,) = of(Check, turns.feed(silence(160)))
    (ended,) = turns.end_now()
    assert ended.reason == "answer_heard" and len(ended.pcm) == len(speech(600))
    assert turns.verdict(check, 0.9) == []
    assert turns.end_now() == []


def test_a_turn_longer_than_the_limit_ends():
    turns = detector(max_turn_ms=2000)
    events = turns.feed(speech(2400))
    assert [e.reason for e in of(TurnEnded, events)] == ["too_long"]


def test_frames_quieter_than_the_gate_are_silence_without_asking_the_vad():
    vad = LoudVad()
    turns = TurnDetector(TurnPolicy(gate_dbfs=-45), vad)
    quiet = np.full(16 * 1000, 100, dtype="<i2").tobytes()  # -50 dBFS
    turns.feed(quiet)
    assert vad.asked == 0
    turns.feed(speech(100))
    assert vad.asked == 5


def test_chunks_of_any_size_make_the_same_decisions():
    audio = speech(500) + silence(300) + speech(400) + silence(900)
    whole = detector().feed(audio)
    pieces = detector()
    split = [item for start in range(0, len(audio), 1234) for item in pieces.feed(audio[start : start + 1234])]
    assert [(type(i), getattr(i, "at_ms", None)) for i in split] == [
        (type(i), getattr(i, "at_ms", None)) for i in whole
    ]


@pytest.mark.parametrize(("level", "silence_ms"), [("A1", 1500), ("B1", 800), ("C2", 560)])
def test_the_policy_takes_the_levels_patience_for_the_end_and_for_being_stuck(level, silence_ms):
    policy = TurnPolicy.for_patience(patience_for(level))
    assert policy.end_silence_ms == silence_ms == policy.stuck_after_ms
