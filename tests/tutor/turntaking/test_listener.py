"""The detector on the event loop: the model asked at each pause without holding the frames up, its answer
turned into events when it comes, a failing model leaving the pause to the level's patience."""

import asyncio

import pytest

from tutor.turntaking.events import PauseHeard, SpeechStarted, StillThinking, TurnEnded, TurnEvent
from tutor.turntaking.listener import TurnListener
from tutor.turntaking.policy import TurnPolicy

from .test_detector import LoudVad, silence, speech


class HeldModel:
    """Answers each utterance with `probability`, once the test lets it."""

    def __init__(self, probability: float) -> None:
        self.probability_given = probability
        self.heard: list[bytes] = []
        self.release = asyncio.Event()

    async def probability(self, pcm: bytes) -> float:
        self.heard.append(pcm)
        await self.release.wait()
        return self.probability_given


class BrokenModel:
    async def probability(self, pcm: bytes) -> float:
        raise RuntimeError("the model file is damaged")


def listener(model, events: list[TurnEvent], **changes) -> TurnListener:
    policy = TurnPolicy(**{"end_silence_ms": 1000, **changes})
    return TurnListener(policy=policy, emit=events.append, model=model, vad=LoudVad())


async def test_frames_go_on_while_the_model_thinks_and_its_verdict_ends_the_turn_when_it_comes():
    events: list[TurnEvent] = []
    model = HeldModel(0.9)
    turns = listener(model, events)
    turns.feed(speech(600) + silence(200))
    await asyncio.sleep(0)
    assert len(model.heard) == 1
    turns.feed(silence(100))
    assert [type(e) for e in events] == [SpeechStarted]

    model.release.set()
    await turns.settle()

    assert [type(e) for e in events] == [SpeechStarted, PauseHeard, TurnEnded]
    assert events[-1].reason == "complete"


async def test_a_verdict_for_a_pause_the_student_talked_through_changes_nothing():
    events: list[TurnEvent] = []
    model = HeldModel(0.99)
    turns = listener(model, events)
    turns.feed(speech(600) + silence(200) + speech(400))
    model.release.set()
    await turns.settle()
    assert not [e for e in events if isinstance(e, TurnEnded | PauseHeard)]


async def test_a_failing_model_leaves_the_pause_to_the_patience(caplog):
    events: list[TurnEvent] = []
    turns = listener(BrokenModel(), events)
    turns.feed(speech(600) + silence(200))
    await turns.settle()
    assert "the turn model failed" in caplog.text
    turns.feed(silence(900))
    assert [type(e) for e in events] == [SpeechStarted, PauseHeard, StillThinking, TurnEnded]
    assert events[-1].reason == "patience"


async def test_closing_cancels_the_verdicts_still_owed():
    events: list[TurnEvent] = []
    model = HeldModel(0.9)
    turns = listener(model, events)
    turns.feed(speech(600) + silence(200))
    await asyncio.sleep(0)
    await turns.close()
    model.release.set()
    await asyncio.sleep(0)
    assert not [e for e in events if isinstance(e, TurnEnded)]


@pytest.mark.parametrize("speaking", [True, False])
async def test_the_tutor_speaking_is_passed_to_the_detector(speaking):
    events: list[TurnEvent] = []
    turns = listener(HeldModel(0.5), events)
    turns.tutor_speaking(speaking)
    turns.feed(speech(200))
    assert [type(e).__name__ for e in events] == ["SoundStarted" if speaking else "SpeechStarted"]
