"""The runner's own turn-taking (hearing.py, docs/turn-taking.md): the student's audio heard frame by frame, and
what it decides carried out on the provider (a turn's start and end when the app decides the turns) and shown on
the page (the cue, the tutor's volume, help for a stuck student). A VAD that hears any loud frame and a turn model
that answers as the test says stand in for the real ones; the lesson is A1 (1,500 ms of patience, help after
5,000 ms of silence)."""

import asyncio

from tutor.events import (
    AudioIn,
    AudioOut,
    Ducking,
    HelpOffered,
    Interrupted,
    Listening,
    MicChanged,
    TranscriptFinal,
    TurnComplete,
)
from tutor.patience import PATIENCE

from ...fakes.scripted import ScriptedProvider
from ..turntaking.test_detector import LoudVad, silence, speech

FRAME_MS = 20
HELP_MS = PATIENCE["patient"].help_after_ms  # the silence after which an A1 student is offered help


class Verdict:
    """A turn model that hears every utterance as finished (1.0) or unfinished (0.0)."""

    def __init__(self, probability: float) -> None:
        self.probability_given = probability

    async def probability(self, pcm: bytes) -> float:
        return self.probability_given


async def say(h, pcm: bytes) -> None:
    """The page's microphone: 20 ms frames, as fast as the runner takes them."""
    size = FRAME_MS * 32
    for start in range(0, len(pcm), size):
        await h.runner.handle(AudioIn(pcm[start : start + size]))


async def live(harness_factory, *, app_turns: bool = True, probability: float = 1.0, **config):
    h = await harness_factory(
        provider=ScriptedProvider(app_turns=app_turns), vad=LoudVad(), turn_model=Verdict(probability), **config
    )
    conn = await h.provider.wait_for_connections(1)
    await h.until(lambda: h.runner.state == "live")
    return h, conn


async def test_a_finished_answer_starts_and_ends_the_turn_on_the_provider(harness_factory):
    h, conn = await live(harness_factory)
    await say(h, speech(600) + silence(300))
    await h.until(lambda: conn.activity == ["start", "end"])
    await h.flush()
    assert Listening("done") in h.received
    assert conn.audio, "the audio went to the provider as before"


async def test_an_unfinished_answer_shows_the_cue_and_waits_for_the_level_s_patience(harness_factory):
    h, conn = await live(harness_factory, probability=0.0)
    await say(h, speech(600) + silence(300))
    await h.runner.hearing.listener.settle()  # the model's verdict: unfinished
    await say(h, silence(500))
    await h.until(lambda: Listening("thinking", 1500) in h.received)
    assert conn.activity == ["start"], "the turn is still open"
    await say(h, speech(400))
    await h.until(lambda: Listening("speaking") in h.received)
    await say(h, silence(1600))
    await h.until(lambda: conn.activity == ["start", "end"])


async def test_a_cough_while_the_tutor_speaks_lowers_its_volume_and_restores_it(harness_factory):
    h, conn = await live(harness_factory)
    conn.push(AudioOut(bytes(48_000 * 20)))  # twenty seconds of the tutor's voice, still playing
    await h.until(lambda: any(isinstance(e, AudioOut) for e in h.received))
    await say(h, speech(200) + silence(400))
    await h.until(lambda: Ducking(on=False) in h.received)
    await h.flush()
    assert Ducking(on=True) in h.received
    assert not h.of_type(Interrupted) and conn.activity == []


async def test_real_speech_over_the_tutor_stops_it_at_once_and_starts_the_student_s_turn(harness_factory):
    h, conn = await live(harness_factory)
    conn.push(AudioOut(bytes(48_000 * 20)))
    await h.until(lambda: any(isinstance(e, AudioOut) for e in h.received))
    await say(h, speech(900))
    await h.until(lambda: h.of_type(Interrupted))
    await h.until(lambda: conn.activity == ["start interrupting"])
    await say(h, silence(300))
    await h.until(lambda: conn.activity == ["start interrupting", "end"])


async def test_a_stuck_student_is_offered_help_twice_then_left_to_think(harness_factory):
    h, conn = await live(harness_factory)
    conn.push(AudioOut(bytes(480)), TurnComplete())  # 10 ms of the tutor, played out by the next frame
    await h.flush()
    await say(h, silence(HELP_MS - 200))
    await h.flush()
    assert conn.nudges == [], "a learner who takes a moment to start is not stuck"
    await say(h, silence(400))
    await h.until(lambda: len(conn.nudges) == 1)
    assert "fr-FR" in conn.nudges[0], "help in the lesson's language"
    await say(h, silence(HELP_MS * 3))
    await h.flush()
    assert len(conn.nudges) == 2
    assert h.of_type(HelpOffered) == [HelpOffered(1), HelpOffered(2)]


async def test_help_is_offered_again_after_the_student_spoke(harness_factory):
    h, conn = await live(harness_factory)
    for _ in range(2):  # a second tutor turn (its help, say) does not make it more than twice
        conn.push(AudioOut(bytes(480)), TurnComplete())
        await h.flush()
        await say(h, silence(HELP_MS * 3))
    await h.flush()
    assert len(conn.nudges) == 2
    await say(h, speech(600) + silence(300))
    await h.until(lambda: conn.activity == ["start", "end"])
    conn.push(TranscriptFinal("student", "Je ne sais pas"), AudioOut(bytes(480)), TurnComplete())
    await h.flush()
    await say(h, silence(HELP_MS + 100))
    await h.until(lambda: len(conn.nudges) == 3)


async def test_with_the_service_s_own_detection_the_page_still_gets_the_cue_but_the_provider_no_turns(
    harness_factory,
):
    h, conn = await live(harness_factory, app_turns=False, probability=0.0)
    await say(h, speech(600) + silence(300))
    await h.runner.hearing.listener.settle()  # the model's verdict: unfinished
    await say(h, silence(1300))
    await h.until(lambda: Listening("done") in h.received)
    assert Listening("thinking", 1500) in h.received
    assert conn.activity == []


async def test_the_microphone_switched_off_ends_the_turn_under_way(harness_factory):
    h, conn = await live(harness_factory, probability=0.0)
    await say(h, speech(600))
    await h.until(lambda: conn.activity == ["start"])
    await h.runner.handle(MicChanged(on=False))
    await h.until(lambda: conn.activity == ["start", "end"])


async def test_a_live_microphone_keeps_a_silent_session_from_ending_as_idle(harness_factory):
    h, _conn = await live(harness_factory, idle_timeout=0.3)
    listening = asyncio.create_task(stream_silence(h, for_seconds=1.0))
    await listening
    assert not h.task.done(), "a page with its microphone live is not idle"
    assert await h.finished() == "idle", "once the microphone is off, idleness ends it"


async def stream_silence(h, *, for_seconds: float) -> None:
    """Real time on purpose: idleness is a clock; what is checked is a condition after it (not ended)."""
    loop = asyncio.get_running_loop()
    ends = loop.time() + for_seconds
    while loop.time() < ends:
        await h.runner.handle(AudioIn(silence(FRAME_MS)))
        await asyncio.sleep(FRAME_MS / 1000)


async def test_a_new_connection_is_given_the_turn_under_way_marked_so_it_answers_it(harness_factory):
    h, first = await live(harness_factory, probability=0.0)
    await say(h, speech(600))
    await h.until(lambda: first.activity == ["start"])
    first.drop()  # mid-turn: the next connection hears the turn's audio inside a turn it is told of
    second = await h.provider.wait_for_connections(2)
    await h.until(lambda: second.activity == ["start"])
    await say(h, silence(1600))
    await h.until(lambda: second.activity == ["start", "end"])
    assert second.audio, "the turn's audio was given again"


async def test_speech_no_transcript_covered_is_replayed_as_a_turn_of_its_own(harness_factory):
    h, first = await live(harness_factory)
    await say(h, speech(600) + silence(300))
    await h.until(lambda: first.activity == ["start", "end"])
    first.drop()  # before any transcript: the answer's audio is owed again
    second = await h.provider.wait_for_connections(2)
    await h.until(lambda: second.activity == ["start", "end"])
    assert second.audio


async def test_the_microphone_s_silence_while_the_tutor_connects_is_no_turn(harness_factory):
    provider = ScriptedProvider(app_turns=True)
    provider.gate = asyncio.Event()  # the connection waits: what the page sends meanwhile is queued
    h = await harness_factory(provider=provider, vad=LoudVad(), turn_model=Verdict(1.0))
    await say(h, silence(600))
    provider.gate.set()
    conn = await provider.wait_for_connections(1)
    await h.flush()
    assert conn.activity == [] and conn.audio, "the audio went, unmarked: the app heard no turn in it"
