"""The runner with a scripted provider: turns, tools, interruption, reconnects, limits, persistence."""

import asyncio
import contextlib
import datetime as dt

from tests.fakes.scripted import ScriptedProvider
from tutor.events import (
    AudioIn,
    AudioOut,
    CorrectionNoted,
    Ended,
    EndRequested,
    GoingAway,
    ImageIn,
    Interrupted,
    LessonComplete,
    MicChanged,
    ObjectiveMet,
    PlaybackReport,
    PronunciationNoted,
    ProviderError,
    Ready,
    Resumable,
    SessionError,
    SpeechStarted,
    StatusChanged,
    TextIn,
    TokenUsage,
    ToolCall,
    TranscriptDelta,
    TranscriptFinal,
    TranscriptUpdate,
    TurnComplete,
    TurnCompleted,
    Usage,
    VideoFrameIn,
)
from tutor.providers.base import ProviderConnectError
from tutor.session import signals
from tutor.session.errors import student_message
from tutor.session.store import Fenced, FinishedTurn, MemoryStore

TUTOR_AUDIO = b"\x01\x00" * 2400  # 100 ms at 24 kHz


def one_exchange(student: str = "Je voudrais un café", tutor: str = "Très bien !") -> tuple:
    return (
        SpeechStarted(),
        TranscriptDelta("student", student[:5]),
        TranscriptDelta("student", student[5:]),
        TranscriptFinal("student", student),
        AudioOut(TUTOR_AUDIO),
        TranscriptDelta("tutor", tutor),
        TurnComplete(),
    )


async def test_a_voice_exchange_is_shown_live_and_stored_turn_by_turn(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(*one_exchange())
    await h.flush()
    assert [(t.index, t.role, t.text) for t in sorted(h.store.turns, key=lambda t: t.index)] == [
        (0, "student", "Je voudrais un café"),
        (1, "tutor", "Très bien !"),
    ]
    tutor_turn = next(t for t in h.store.turns if t.role == "tutor")
    assert tutor_turn.audio_ms == 100 and not tutor_turn.interrupted
    updates = h.of_type(TranscriptUpdate)
    assert updates[0] == TranscriptUpdate("student", 0, "Je vo", final=False)
    assert TranscriptUpdate("student", 0, "Je voudrais un café", final=True) in updates
    assert TranscriptUpdate("tutor", 1, "Très bien !", final=True) in updates
    assert h.of_type(AudioOut) == [AudioOut(TUTOR_AUDIO)] and h.of_type(TurnCompleted) == [TurnCompleted(1)]
    assert isinstance(h.received[0], Ready) and StatusChanged("live") in h.received
    assert h.store.live_marks == 1 and h.store.ended is None  # written while the session goes on


async def test_the_first_connection_gets_the_persona_instructions_and_tools(harness_factory):
    h = await harness_factory()
    setup = (await h.provider.wait_for_connections(1)).setup
    assert "You are Camille" in setup.instructions and "Start by greeting Ana" in setup.instructions
    assert {tool.name for tool in setup.tools} == {
        "note_correction",
        "note_vocabulary",
        "note_pronunciation",
        "complete_objective",
    }
    assert setup.resumption_handle is None and setup.context.empty


async def test_a_correction_tool_call_is_stored_shown_and_answered_with_its_id(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(
        *one_exchange("Je voudrait un café")[:4],
        ToolCall("call-7", "note_correction", {"original": "Je voudrait", "corrected": "Je voudrais",
                                               "explanation": "first person", "category": "grammar"}),
    )  # fmt: skip
    await h.flush()
    [note] = h.store.notes_of(CorrectionNoted)
    assert (note.original, note.corrected, note.category, note.turn) == (
        "Je voudrait",
        "Je voudrais",
        "grammar",
        0,
    )
    assert h.of_type(CorrectionNoted)[0].turn == 0
    assert conn.tool_results == [("call-7", "note_correction", {"ok": True})]


async def test_a_pronunciation_note_is_stored_shown_under_the_students_turn_and_replayed(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(
        *one_exchange("Je voudrais un croissant")[:4],
        ToolCall("p1", "note_pronunciation", {"word": "croissant", "heard_as": "croisson", "tip": "Say -ant.",
                                              "estimate": True}),
    )  # fmt: skip
    await h.flush()
    note = PronunciationNoted("croissant", "croisson", "Say -ant.", estimate=True, turn=0)
    assert h.store.notes == [note] and h.of_type(PronunciationNoted) == [note]
    assert conn.tool_results == [("p1", "note_pronunciation", {"ok": True})]
    assert note in h.runner.attach()  # a browser that comes back sees it again


async def test_a_malformed_tool_call_gets_an_error_result_and_stores_nothing(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(ToolCall("c1", "note_vocabulary", {"word": "café", "status": "forgotten"}), ToolCall("c2", "launch", {}))
    await h.flush()
    assert not h.store.notes
    assert conn.tool_results == [
        ("c1", "note_vocabulary", {"error": "'status' must be 'used' or 'learned'"}),
        ("c2", "launch", {"error": "unknown tool 'launch'"}),
    ]


async def test_objectives_are_stored_in_the_lessons_own_wording(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(ToolCall("c1", "complete_objective", {"objective": "ordered a drink"}))
    await h.flush()
    assert h.store.notes == [ObjectiveMet("Order a drink")]


async def test_interruption_drops_queued_audio_and_marks_the_turn(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    h.pump.cancel()  # the browser stops reading: audio piles up as on a slow link
    conn.push(AudioOut(TUTOR_AUDIO), AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", "Bonjour et bienvenue"))
    await h.flush()
    assert len(h.runner.outbox) >= 3
    conn.push(Interrupted(), TurnComplete())
    await h.flush()
    queued = [h.runner.outbox._items[i] for i in range(len(h.runner.outbox))]
    assert not any(isinstance(event, AudioOut) for event in queued)
    assert Interrupted() in queued
    [turn] = h.store.turns
    assert turn.interrupted and turn.audio_ms == 200


async def test_playback_reports_reach_the_provider_only_for_the_interrupted_turn(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", "Bonjour"), Interrupted(), TurnComplete())
    await h.flush()
    await h.runner.handle(PlaybackReport(turn=5, played_ms=40))
    await h.runner.handle(PlaybackReport(turn=0, played_ms=60))
    assert conn.played == [60]


async def test_typed_text_is_a_student_turn_and_goes_to_the_provider(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    await h.runner.handle(TextIn("Un croissant, s'il vous plaît"))
    await h.flush()
    assert conn.texts == ["Un croissant, s'il vous plaît"]
    assert [(t.role, t.text) for t in h.store.turns] == [("student", "Un croissant, s'il vous plaît")]


async def test_microphone_off_ends_the_audio_stream(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    await h.runner.handle(AudioIn(b"\x00\x00" * 320))
    await h.runner.handle(MicChanged(on=False))
    assert conn.audio == [b"\x00\x00" * 320] and conn.audio_stream_ends == 1


async def test_a_dropped_connection_reconnects_with_the_conversation_so_far(harness_factory):
    h = await harness_factory()
    first = await h.provider.wait_for_connections(1)
    first.push(*one_exchange())
    await h.flush()
    first.drop(ProviderError("1011", "Internal error encountered.", retryable=True))
    second = await h.provider.wait_for_connections(2)
    await h.flush()
    assert "student: Je voudrais un café" in second.setup.instructions
    assert "tutor: Très bien !" in second.setup.instructions
    assert [e for e in h.received if isinstance(e, StatusChanged)][-2:] == [
        StatusChanged("reconnecting"),
        StatusChanged("live"),
    ]
    second.push(*one_exchange("Un croissant", "Voilà."))
    await h.flush()
    assert [t.index for t in sorted(h.store.turns, key=lambda t: t.index)] == [0, 1, 2, 3]


async def test_a_drop_mid_answer_keeps_what_was_said_as_an_interrupted_turn(harness_factory):
    h = await harness_factory()
    first = await h.provider.wait_for_connections(1)
    first.push(AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", "Alors, vous"))
    await h.flush()
    first.drop()
    await h.provider.wait_for_connections(2)
    await h.flush()
    [turn] = h.store.turns
    assert (turn.text, turn.interrupted) == ("Alors, vous", True)
    assert TurnCompleted(0) in h.received


async def test_retryable_connect_failures_are_retried_with_backoff(harness_factory):
    failures = [ProviderConnectError("1011", "unavailable", retryable=True)] * 2

    h = await harness_factory(provider=ScriptedProvider(connect_failures=failures))
    await h.provider.wait_for_connections(1)
    await h.flush()
    assert h.runner.state == "live"


async def test_exhausted_retries_end_the_session_in_plain_words_with_the_details_in_the_log(harness_factory, caplog):
    failures = [ProviderConnectError("1011", "The service is currently unavailable.", retryable=True)] * 3
    h = await harness_factory(provider=ScriptedProvider(connect_failures=failures))
    assert await h.finished() == "provider_error"
    [error] = h.of_type(SessionError)
    assert error == SessionError("provider_unavailable", student_message("provider_unavailable"), fatal=True)
    assert "currently unavailable" in caplog.text
    assert h.store.ended == ("provider_error", True)
    assert h.of_type(Ended) == [Ended("provider_error")]


async def test_a_bad_key_fails_at_once_without_retrying_and_the_student_never_sees_the_providers_words(
    harness_factory, caplog
):
    provider = ScriptedProvider(
        connect_failures=[ProviderConnectError("auth", "API key not valid (https://x.example/v1).", retryable=False)]
    )
    h = await harness_factory(provider=provider)
    assert await h.finished() == "provider_error"
    [error] = h.of_type(SessionError)
    assert (error.code, error.message) == ("provider_refused", student_message("provider_refused"))
    assert "https://" not in error.message and "API key not valid" in caplog.text and not provider.connections


async def test_a_non_retryable_provider_error_ends_the_session(harness_factory, caplog):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.drop(ProviderError("1007", "Request contains an invalid argument.", retryable=False))
    assert await h.finished() == "provider_error"
    assert len(h.provider.connections) == 1
    assert h.of_type(SessionError)[0].code == "provider_refused"
    assert "Request contains an invalid argument." in caplog.text


async def test_going_away_waits_for_the_tutor_to_finish_then_resumes_with_the_last_handle(harness_factory):
    h = await harness_factory()
    first = await h.provider.wait_for_connections(1)
    first.push(Resumable("handle-1"), AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", "Bonjour"), GoingAway(30.0))
    await h.flush()
    assert len(h.provider.connections) == 1  # the tutor is mid-sentence: no cut
    first.push(Resumable("handle-2"), TurnComplete())
    second = await h.provider.wait_for_connections(2)
    assert first.closed and second.setup.resumption_handle == "handle-2"
    assert h.store.resumption_handle == "handle-2"
    assert StatusChanged("reconnecting") not in h.received  # planned: the student sees no gap
    assert [(t.role, t.text) for t in h.store.turns] == [("tutor", "Bonjour")]


async def test_audio_sent_while_reconnecting_reaches_the_new_connection(harness_factory):
    h = await harness_factory()
    first = await h.provider.wait_for_connections(1)
    first.drop()
    frames = [bytes([i]) * 640 for i in range(3)]
    for frame in frames:
        await h.runner.handle(AudioIn(frame))
    second = await h.provider.wait_for_connections(2)
    await h.flush()
    assert b"".join(first.audio + second.audio).endswith(b"".join(frames))
    assert all(frame in second.audio for frame in frames if frame not in first.audio)


async def test_an_expired_resumption_handle_is_dropped_and_the_connection_retried(harness_factory):

    provider = ScriptedProvider()
    await harness_factory(provider=provider, store=MemoryStore(resumption_handle="stale"))
    await provider.wait_for_connections(1)
    assert provider.current.setup.resumption_handle == "stale"
    provider.connect_failures = [ProviderConnectError("resumption_rejected", "expired handle", retryable=True)]
    provider.current.drop()
    second = await provider.wait_for_connections(2)
    assert second.setup.resumption_handle is None


async def test_usage_is_stored_and_counted_against_the_context(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(Usage(TokenUsage(text_in=500, audio_in=300, text_out=20, audio_out=400)), *one_exchange())
    await h.flush()
    assert h.store.usage == [TokenUsage(text_in=500, audio_in=300, text_out=20, audio_out=400)]
    assert h.store.usage_sources == [(None, "live")]  # the session's model
    tokens, through_turn = h.store.context_tokens[-1]
    assert tokens >= 1220 and through_turn == 1


async def test_another_models_usage_is_stored_under_it_and_not_counted_against_the_context(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(*one_exchange())
    await h.flush()
    writes = len(h.store.context_tokens)
    transcription = TokenUsage(audio_in=30_000, text_out=5)  # far more than the whole context so far
    conn.push(Usage(transcription, model="gpt-4o-mini-transcribe", purpose="transcription"))
    await h.flush()
    assert h.store.usage == [transcription]
    assert h.store.usage_sources == [("gpt-4o-mini-transcribe", "transcription")]
    assert len(h.store.context_tokens) == writes  # no context write, and the next one is not inflated by it
    conn.push(*one_exchange())
    await h.flush()
    assert h.store.context_tokens[-1][0] < 30_000


# ---- what the student heard of a cut reply -----------------------------------------------------

LINE = "Bonjour et bienvenue au café de la gare"  # 39 characters, with 200 ms of audio below


async def test_a_reply_cut_in_the_browser_is_stored_and_shown_as_what_was_heard(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(AudioOut(TUTOR_AUDIO), AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", LINE), Interrupted())
    conn.push(TurnComplete())  # the provider ends the cut turn first; the browser's report follows
    await h.flush()
    await h.runner.handle(PlaybackReport(turn=0, played_ms=50))
    await h.flush()
    [turn] = h.store.turns
    assert (turn.text, turn.audio_ms, turn.interrupted) == ("Bonjour et", 50, True)  # a quarter: 10 of 39
    assert conn.played == [50]
    finals = [u for u in h.of_type(TranscriptUpdate) if u.final]
    assert finals == [TranscriptUpdate("tutor", 0, LINE, True), TranscriptUpdate("tutor", 0, "Bonjour et", True)]
    assert TranscriptUpdate("tutor", 0, "Bonjour et", True) in h.runner.attach()  # a page that comes back


async def test_a_playback_report_before_the_turn_ends_cuts_it_when_it_ends(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(AudioOut(TUTOR_AUDIO), AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", LINE), Interrupted())
    await h.flush()
    await h.runner.handle(PlaybackReport(turn=0, played_ms=150))
    conn.push(TranscriptFinal("tutor", LINE), TurnComplete())
    await h.flush()
    [turn] = h.store.turns
    assert (turn.text, turn.audio_ms, turn.interrupted) == ("Bonjour et bienvenue au café", 150, True)
    assert [u for u in h.of_type(TranscriptUpdate) if u.final] == [TranscriptUpdate("tutor", 0, turn.text, True)]


async def test_a_finished_reply_still_playing_when_cut_is_stored_as_heard_and_the_next_connection_told_so(
    harness_factory,
):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(AudioOut(TUTOR_AUDIO), AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", LINE), TurnComplete())
    await h.flush()
    conn.push(Interrupted())  # it had all arrived; the browser was still playing it
    await h.flush()
    await h.runner.handle(PlaybackReport(turn=0, played_ms=100))
    conn.push(*one_exchange())
    await h.flush()
    turns = sorted(h.store.turns, key=lambda t: t.index)
    assert (turns[0].text, turns[0].interrupted) == ("Bonjour et bienvenue", True)
    conn.drop(ProviderError("connection_lost", "gone", retryable=True))
    second = await h.provider.wait_for_connections(2)
    assert second.setup.context.recent[0].text == "Bonjour et bienvenue"


async def test_a_reply_heard_whole_or_not_at_all_keeps_its_text(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    for turn, played_ms in enumerate((0, 200)):
        conn.push(AudioOut(TUTOR_AUDIO), AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", LINE), Interrupted())
        conn.push(TurnComplete())
        await h.flush()
        await h.runner.handle(PlaybackReport(turn=turn, played_ms=played_ms))
        await h.flush()
    assert [(t.text, t.audio_ms) for t in sorted(h.store.turns, key=lambda t: t.index)] == [(LINE, 200), (LINE, 200)]
    assert conn.played == [0, 200]  # OpenAI refuses a truncate at 0 ms, so the model keeps the whole line too


# ---- a student transcript that trails the tutor's answer ---------------------------------------


async def test_a_student_transcript_that_arrives_after_the_answer_began_keeps_its_place_before_it(harness_factory):
    h = await harness_factory()
    watched: list = []

    async def watch(event) -> None:
        watched.append(event)

    h.runner.audience.add_observer(watch)
    conn = await h.provider.wait_for_connections(1)
    conn.push(SpeechStarted(), AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", "Très bien !"))
    await h.flush()
    for _ in range(10):  # the microphone hears the tutor's answer: not the student's turn any more
        await h.runner.handle(AudioIn(b"\x00\x00" * 1600))
    conn.push(TranscriptDelta("student", "Je voudrais"), TranscriptDelta("student", " un café"))
    conn.push(TranscriptFinal("student", "Je voudrais un café"), TurnComplete())
    await h.flush()
    turns = sorted(h.store.turns, key=lambda t: t.index)
    assert [(t.index, t.role, t.text) for t in turns] == [
        (0, "student", "Je voudrais un café"),
        (1, "tutor", "Très bien !"),
    ]
    assert turns[0].audio_ms == 0
    for seen in (h.received, watched):  # the page and the teacher's watch: the same numbers, in the order said
        updates = [(u.role, u.turn, u.text, u.final) for u in seen if isinstance(u, TranscriptUpdate)]
        assert updates == [
            ("tutor", 1, "Très bien !", False),
            ("student", 0, "Je voudrais", False),
            ("student", 0, "Je voudrais un café", False),
            ("student", 0, "Je voudrais un café", True),
            ("tutor", 1, "Très bien !", True),
        ]


async def test_the_student_ending_closes_open_turns_and_ends_the_session(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(SpeechStarted(), TranscriptDelta("student", "Au revoir"))
    await h.flush()
    await h.runner.handle(EndRequested())
    assert await h.finished() == "student"
    assert [(t.role, t.text) for t in h.store.turns] == [("student", "Au revoir")]
    assert h.store.ended == ("student", False) and conn.closed
    assert h.received[-1] == Ended("student")
    assert h.received.index(StatusChanged("ending")) < h.received.index(
        TranscriptUpdate("student", 0, "Au revoir", final=True)
    )


async def test_the_tutor_completing_the_lesson_ends_the_session_with_its_closing_line_whole(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(*one_exchange("Merci, au revoir", "Bravo, la leçon est terminée !"), LessonComplete())
    assert await h.finished() == "completed"
    closing = next(t for t in h.store.turns if t.role == "tutor")
    assert (closing.text, closing.interrupted, closing.audio_ms) == ("Bravo, la leçon est terminée !", False, 100)
    assert h.store.ended == ("completed", False) and conn.closed
    assert h.received[-1] == Ended("completed")
    assert h.received.index(TurnCompleted(1)) < h.received.index(StatusChanged("ending"))


async def test_the_lessons_time_limit_ends_the_session(harness_factory):
    h = await harness_factory(max_seconds=0.2)
    assert await h.finished() == "time_limit"


async def test_a_silent_session_ends_as_idle(harness_factory):
    h = await harness_factory(idle_timeout=0.2)
    assert await h.finished() == "idle"


async def test_a_browser_that_returns_within_the_grace_period_carries_on(harness_factory):
    h = await harness_factory(reconnect_grace=0.3)
    conn = await h.provider.wait_for_connections(1)
    conn.push(*one_exchange())
    await h.flush()
    h.runner.detach()
    replay = h.runner.attach()  # the browser is back (no await between: however busy the machine, in time)
    assert isinstance(replay[0], Ready)
    assert [e.text for e in replay if isinstance(e, TranscriptUpdate)] == ["Je voudrais un café", "Très bien !"]
    await asyncio.sleep(0.4)  # longer than the grace
    assert not h.task.done() and len(h.provider.connections) == 1


async def test_a_browser_that_stays_away_ends_the_session_as_disconnected(harness_factory):
    h = await harness_factory(reconnect_grace=0.2)
    await h.provider.wait_for_connections(1)
    h.runner.detach()
    assert await h.finished() == "disconnected"


async def test_a_new_runner_takes_up_a_session_where_the_store_left_it(harness_factory):
    store = MemoryStore(resumption_handle="h-9", elapsed_seconds=42)
    now = dt.datetime.now(dt.UTC)
    for index, (role, text) in enumerate([("student", "Bonjour"), ("tutor", "Bonjour ! Un café ?")]):
        await store.save_turn(FinishedTurn(index, role, text, now, now))
    h = await harness_factory(store=store)
    conn = await h.provider.wait_for_connections(1)
    assert conn.setup.resumption_handle == "h-9"
    assert "tutor: Bonjour ! Un café ?" in conn.setup.instructions
    ready = h.runner.attach()[0]
    assert ready.elapsed_seconds >= 42
    conn.push(*one_exchange())
    await h.flush()
    assert sorted(t.index for t in h.store.turns) == [0, 1, 2, 3]


async def test_a_new_summary_starts_a_fresh_smaller_connection_at_the_next_pause(harness_factory):
    store = MemoryStore(recent_turns_kept=2)
    h = await harness_factory(store=store, refresh_on_summary=True)
    first = await h.provider.wait_for_connections(1)
    first.push(Resumable("handle-1"), *one_exchange(), *one_exchange("Un croissant", "Voilà."))
    await h.flush()
    first.push(AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", "Et avec"))  # mid-sentence
    await h.flush()
    store.summary, store.summary_through_turn = "Ana ordered a coffee.", 1
    h.runner.summary_ready(1)
    await h.flush()
    assert len(h.provider.connections) == 1  # not while the tutor speaks
    first.push(TurnComplete())
    second = await h.provider.wait_for_connections(2)
    assert second.setup.resumption_handle is None
    assert "What happened so far: Ana ordered a coffee." in second.setup.instructions
    assert "student: Je voudrais un café" not in second.setup.instructions  # summarized away
    assert "tutor: Et avec" in second.setup.instructions
    assert StatusChanged("reconnecting") not in h.received
    assert h.received.index(StatusChanged("switching")) < len(h.received) - 1  # the page is told, then live
    assert h.received[-1] == StatusChanged("live") or StatusChanged("live") in h.received


async def test_without_refresh_a_summary_waits_for_the_next_reconnect(harness_factory):
    h = await harness_factory()
    await h.provider.wait_for_connections(1)
    h.runner.summary_ready(3)
    await h.flush()
    assert len(h.provider.connections) == 1


async def test_a_playback_report_for_a_finished_reply_still_reaches_the_provider(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", "Bonjour"), TurnComplete())
    await h.flush()
    conn.push(Interrupted())  # generation had finished; the browser was still playing it
    await h.flush()
    await h.runner.handle(PlaybackReport(turn=0, played_ms=70))
    assert conn.played == [70]


async def test_a_stopping_server_hands_the_session_off_instead_of_ending_it(harness_factory):
    h = await harness_factory()
    conn = await h.provider.wait_for_connections(1)
    conn.push(SpeechStarted(), TranscriptDelta("student", "Bonjour"))
    await h.flush()
    h.task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await h.task
    assert h.store.ended is None  # still live: another process may take it up
    assert [(t.role, t.text) for t in h.store.turns] == [("student", "Bonjour")]


async def test_the_runner_learns_of_a_summary_from_the_store_without_any_channel_layer(harness_factory):
    store = MemoryStore(recent_turns_kept=2)
    h = await harness_factory(store=store, refresh_on_summary=True)
    first = await h.provider.wait_for_connections(1)
    first.push(*one_exchange(), *one_exchange("Un croissant", "Voilà."))
    await h.flush()
    store.summary, store.summary_through_turn = "Ana ordered a coffee.", 1  # Celery wrote it elsewhere
    first.push(*one_exchange("L'addition", "Quatre euros."))  # the next turns report the context
    second = await h.provider.wait_for_connections(2)
    assert "What happened so far: Ana ordered a coffee." in second.setup.instructions
    await h.flush()
    assert len(h.provider.connections) == 2  # once, not again for the same summary


async def test_a_going_away_deadline_mid_sentence_keeps_the_cut_turn(harness_factory):
    h = await harness_factory(goaway_margin=3.0)
    first = await h.provider.wait_for_connections(1)
    first.push(AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", "Alors, vous"), GoingAway(1.0))
    second = await h.provider.wait_for_connections(2)
    await h.flush()
    [turn] = h.store.turns
    assert (turn.text, turn.interrupted) == ("Alors, vous", True)
    assert TurnCompleted(0) in h.received
    second.push(*one_exchange())
    await h.flush()
    assert sorted(t.index for t in h.store.turns) == [0, 1, 2]


async def test_speech_not_yet_answered_is_heard_again_after_a_switch(harness_factory):
    h = await harness_factory()
    first = await h.provider.wait_for_connections(1)
    first.push(*one_exchange(), Resumable("handle-1"), GoingAway(30.0))
    await h.flush()
    second = await h.provider.wait_for_connections(2)
    question = [bytes([i]) * 640 for i in range(4)]
    for frame in question[:2]:
        await h.runner.handle(AudioIn(frame))
    second.push(Resumable("handle-2"), GoingAway(30.0))  # another switch before any answer
    third = await h.provider.wait_for_connections(3)
    for frame in question[2:]:
        await h.runner.handle(AudioIn(frame))
    await h.flush()
    assert third.audio == question  # the whole unanswered question, once, in order


async def test_live_is_announced_before_anything_the_tutor_says(harness_factory):

    class Eager(ScriptedProvider):
        async def connect(self, setup):
            connection = await super().connect(setup)
            connection.push(TranscriptDelta("tutor", "Bonjour"))  # the greeting is already waiting
            return connection

    class SlowStore(MemoryStore):
        async def mark_live(self) -> None:  # a database write takes a while
            await asyncio.sleep(0.05)
            await super().mark_live()

    h = await harness_factory(provider=Eager(), store=SlowStore())
    await h.provider.wait_for_connections(1)
    await h.flush()
    kinds = [type(e) for e in h.received]
    assert kinds.index(StatusChanged) < kinds.index(TranscriptUpdate)


async def test_a_typed_turn_is_not_a_pause_a_planned_switch_waits_for_its_answer(harness_factory):
    h = await harness_factory()
    first = await h.provider.wait_for_connections(1)
    first.push(*one_exchange(), Resumable("handle-1"))
    await h.flush()
    await h.runner.handle(TextIn("L'addition, s'il vous plaît"))
    first.push(GoingAway(30.0))
    await h.flush()
    assert len(h.provider.connections) == 1  # owed an answer: not a pause
    first.push(AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", "Voilà l'addition."), TurnComplete())
    second = await h.provider.wait_for_connections(2)
    await h.flush()
    assert second.texts == []  # answered on the first connection: nothing to ask again
    assert [(t.role, t.text) for t in sorted(h.store.turns, key=lambda t: t.index)][-2:] == [
        ("student", "L'addition, s'il vous plaît"),
        ("tutor", "Voilà l'addition."),
    ]


async def test_a_typed_turn_cut_off_by_the_providers_deadline_is_asked_again_on_the_next_connection(harness_factory):
    h = await harness_factory(goaway_margin=3.0)
    first = await h.provider.wait_for_connections(1)
    first.push(*one_exchange(), Resumable("handle-1"))
    await h.flush()
    await h.runner.handle(TextIn("Et un croissant"))
    first.push(GoingAway(1.0))  # the deadline is now: no time to wait for the answer
    second = await h.provider.wait_for_connections(2)
    await h.flush()
    assert first.texts == ["Et un croissant"] and second.texts == ["Et un croissant"]
    assert [t.text for t in h.store.turns].count("Et un croissant") == 1  # asked twice, one turn
    second.push(AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", "Un croissant, voilà."), TurnComplete())
    await h.flush()
    assert [t.role for t in sorted(h.store.turns, key=lambda t: t.index)] == ["student", "tutor", "student", "tutor"]


async def test_text_and_pictures_sent_while_reconnecting_are_queued_and_delivered_never_refused(harness_factory):
    provider = ScriptedProvider()
    h = await harness_factory(provider=provider)
    first = await provider.wait_for_connections(1)
    provider.gate = asyncio.Event()  # the service takes its time to answer the next connect
    first.drop()
    await h.until(lambda: h.runner.state == "reconnecting")
    await h.runner.handle(TextIn("Vous êtes là ?"))
    await h.runner.handle(ImageIn(b"\xff\xd8\xff-picture", "image/jpeg"))
    await h.runner.recorder.persister.drain()
    assert h.runner.state == "reconnecting" and not h.store.turns  # not stored before a connection took it
    provider.gate.set()
    second = await provider.wait_for_connections(2)
    await h.flush()
    assert second.texts == ["Vous êtes là ?"] and second.images == [(b"\xff\xd8\xff-picture", "image/jpeg")]
    assert [t.text for t in h.store.turns] == ["Vous êtes là ?"]
    assert not h.of_type(SessionError)


FRAME = VideoFrameIn(b"\xff\xd8\xff-frame", "image/jpeg")


async def test_a_shared_frame_goes_to_the_connection_as_video_not_as_a_picture_and_is_never_replayed(harness_factory):
    provider = ScriptedProvider()
    h = await harness_factory(provider=provider)
    first = await provider.wait_for_connections(1)
    await h.until(lambda: h.runner.state == "live")
    await h.runner.handle(FRAME)
    assert first.video_frames == [(FRAME.data, FRAME.mime)] and first.images == []
    provider.gate = asyncio.Event()  # the next connect waits for the test
    first.drop()
    await h.until(lambda: h.runner.state == "reconnecting")
    await h.runner.handle(VideoFrameIn(b"\xff\xd8\xff-while-away", "image/jpeg"))  # no connection: dropped
    provider.gate.set()
    second = await provider.wait_for_connections(2)
    await h.flush()
    assert second.video_frames == [] and second.images == []  # neither queued nor replayed
    assert not h.of_type(SessionError)


async def test_shared_frames_count_against_the_context_as_the_provider_bills_them(harness_factory):
    h = await harness_factory(video_frame_tokens=258)
    conn = await h.provider.wait_for_connections(1)
    await h.until(lambda: h.runner.state == "live")
    for _ in range(10):
        await h.runner.handle(FRAME)
    conn.push(*one_exchange())
    await h.flush()
    tokens, _through = h.store.context_tokens[-1]
    without = await harness_factory()
    (await without.provider.wait_for_connections(1)).push(*one_exchange())
    await without.flush()
    assert tokens - without.store.context_tokens[-1][0] == 10 * 258


async def test_a_camera_left_on_does_not_keep_a_silent_session_alive(harness_factory):
    h = await harness_factory(idle_timeout=0.3)
    await h.provider.wait_for_connections(1)
    sharing = asyncio.create_task(stream_frames(h, every=0.05))
    assert await h.finished() == "idle"
    sharing.cancel()
    assert len(h.provider.current.video_frames) > 3


async def stream_frames(h, *, every: float) -> None:
    while True:
        await h.runner.handle(FRAME)
        await asyncio.sleep(every)


async def test_a_transcribed_voice_turn_is_asked_again_as_text_never_as_audio_to_transcribe_twice(harness_factory):
    h = await harness_factory()
    first = await h.provider.wait_for_connections(1)
    spoken = [bytes([i]) * 640 for i in range(3)]
    first.push(SpeechStarted())
    await h.flush()
    for frame in spoken:
        await h.runner.handle(AudioIn(frame))
    first.push(TranscriptFinal("student", "Je voudrais un café"))
    await h.flush()
    first.drop()  # before any answer
    second = await h.provider.wait_for_connections(2)
    await h.flush()
    assert second.texts == ["Je voudrais un café"] and second.audio == []
    assert [t.text for t in h.store.turns] == ["Je voudrais un café"]


async def test_a_restarted_server_resumes_with_the_past_and_answers_what_the_old_one_was_answering(harness_factory):
    now = dt.datetime.now(dt.UTC)
    store = MemoryStore(resumption_handle="h-1", elapsed_seconds=75)
    await store.save_turn(FinishedTurn(0, "tutor", "Bonjour ! Vous désirez ?", now, now))
    await store.save_turn(FinishedTurn(1, "student", "Un café, s'il vous plaît", now, now))
    await store.save_turn(FinishedTurn(2, "tutor", "Un café, très", now, now, interrupted=True))  # cut by the stop
    h = await harness_factory(store=store)
    ready, *replayed = h.received
    assert ready.elapsed_seconds >= 75
    assert [(u.turn, u.text) for u in replayed if isinstance(u, TranscriptUpdate)] == [
        (0, "Bonjour ! Vous désirez ?"),
        (1, "Un café, s'il vous plaît"),
        (2, "Un café, très"),
    ]
    conn = await h.provider.wait_for_connections(1)
    await h.flush()
    assert conn.texts == ["Un café, s'il vous plaît"]  # asked again: its answer was cut off
    assert "student: Un café, s'il vous plaît" not in conn.setup.instructions  # once, not twice


# ---- summaries, resumed connections and the newest handle ------------------------------------------


async def test_a_summary_a_resumed_connection_did_not_start_from_still_brings_a_fresh_connection(harness_factory):
    """The goAway's switch resumes with the handle, and the service still holds the whole conversation, however
    new the summary the store already has: a fresh connection carrying the summary follows at the next pause."""
    store = MemoryStore(recent_turns_kept=2)
    h = await harness_factory(store=store, refresh_on_summary=True)
    first = await h.provider.wait_for_connections(1)
    first.push(*one_exchange(), *one_exchange("Un croissant", "Voilà."), Resumable("handle-1"))
    await h.flush()
    store.summary, store.summary_through_turn = "Ana ordered a coffee.", 1  # written; not yet heard of
    first.push(GoingAway(30.0), Resumable("handle-2"))
    second = await h.provider.wait_for_connections(2)
    assert second.setup.resumption_handle == "handle-2"  # a goAway resumes...
    third = await h.provider.wait_for_connections(3)  # ...and the summary still gets its fresh connection
    assert third.setup.resumption_handle is None
    assert "What happened so far: Ana ordered a coffee." in third.setup.instructions
    await h.flush()
    assert len(h.provider.connections) == 3  # once


async def test_a_connection_lost_while_a_fresh_one_is_due_comes_back_fresh(harness_factory):
    store = MemoryStore(recent_turns_kept=2)
    h = await harness_factory(store=store, refresh_on_summary=True)
    first = await h.provider.wait_for_connections(1)
    first.push(Resumable("handle-1"), *one_exchange(), *one_exchange("Un croissant", "Voilà."))
    first.push(AudioOut(TUTOR_AUDIO), TranscriptDelta("tutor", "Et avec"))  # mid-sentence: the switch waits
    await h.flush()
    store.summary, store.summary_through_turn = "Ana ordered a coffee.", 1
    h.runner.summary_ready(1)
    await h.flush()
    first.drop()  # before the pause came
    second = await h.provider.wait_for_connections(2)
    assert second.setup.resumption_handle is None and "Ana ordered a coffee." in second.setup.instructions
    await h.flush()
    assert len(h.provider.connections) == 2  # the summary is taken in: no second switch for it


async def test_the_context_meter_goes_on_counting_on_a_resumed_connection_and_starts_again_on_a_fresh_one(
    harness_factory,
):
    store = MemoryStore(recent_turns_kept=2)
    h = await harness_factory(store=store, refresh_on_summary=True)
    first = await h.provider.wait_for_connections(1)
    first.push(Resumable("handle-1"), *one_exchange(), Usage(TokenUsage(text_in=900, audio_in=4000)))
    await h.flush()
    held = h.runner.recorder.meter.tokens
    assert held >= 4900
    first.push(GoingAway(30.0), Resumable("handle-2"))
    await h.provider.wait_for_connections(2)
    await h.flush()
    assert h.runner.recorder.meter.tokens >= held  # the service resumed all of it, and bills it
    assert store.context_tokens[-1][0] >= held
    store.summary, store.summary_through_turn = "Ana ordered a coffee.", 1
    h.runner.summary_ready(1)
    fresh = await h.provider.wait_for_connections(3)
    await h.flush()
    assert h.runner.recorder.meter.tokens < held / 2  # the instructions, with the summary: what it holds now
    assert fresh.setup.resumption_handle is None


async def test_an_idle_goaway_resumes_with_the_handle_the_service_sends_right_after_it(harness_factory):
    h = await harness_factory(goaway_handle_wait=30.0)  # the handle comes: the wait ends with it, not the clock
    first = await h.provider.wait_for_connections(1)
    first.push(*one_exchange(), Resumable("handle-1"))
    await h.flush()
    first.push(GoingAway(50.0), Resumable("handle-2"))  # nobody speaks: a pause at once
    second = await h.provider.wait_for_connections(2)
    assert second.setup.resumption_handle == "handle-2"


async def test_after_a_goaway_a_handle_that_never_comes_is_waited_for_briefly_not_for_ever(harness_factory):
    h = await harness_factory(goaway_handle_wait=0.05)
    first = await h.provider.wait_for_connections(1)
    first.push(*one_exchange(), Resumable("handle-1"))
    await h.flush()
    first.push(GoingAway(50.0))
    second = await h.provider.wait_for_connections(2)
    assert second.setup.resumption_handle == "handle-1"


async def test_usage_and_a_handle_reported_as_the_session_ends_are_still_recorded(harness_factory):
    """Billed is billed: a usage report queued behind the end is written; so is the newest handle, for the process
    that takes the session up."""
    h = await harness_factory()
    await h.provider.wait_for_connections(1)
    await h.flush()
    late = TokenUsage(text_in=300, audio_out=120)
    h.runner.request_end("student")  # handled first: the loop ends before what follows it...
    h.runner.inbox.post(Usage(late))
    h.runner.inbox.post(signals.HandleIssued("handle-last"))
    assert await h.finished() == "student"
    assert h.store.usage == [late]  # ...and it is recorded all the same
    assert h.store.resumption_handle == "handle-last"


async def test_a_runner_another_process_took_the_session_from_hands_it_off_at_once_and_never_ends_it(
    harness_factory,
):
    class TakenOver(MemoryStore):
        async def save_turn(self, turn: FinishedTurn) -> None:
            raise Fenced("another process hosts the session now")

    h = await harness_factory(store=TakenOver())
    conn = await h.provider.wait_for_connections(1)
    conn.push(*one_exchange())
    assert await h.finished() == "handoff"
    assert h.store.ended is None and conn.closed and h.runner.recorder.persister.fenced
