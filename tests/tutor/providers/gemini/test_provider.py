"""The Gemini Live provider and text model, through the real google-genai SDK, against the TLS fakes."""

import asyncio
import contextlib
import json
from dataclasses import replace

import pytest
from google.genai import types

from tests.fakes.gemini_live import (
    SPOKEN_RESULT,
    THINKING_ALOUD,
    CloseMidTurn,
    DropMidTurn,
    Exchange,
    FakeGeminiLive,
    GoAwayMidTurn,
    RefuseConnection,
)
from tests.fakes.gemini_rest import FakeGeminiRest
from tests.fakes.sound import utterance
from tests.fakes.tls import TestCertificate, make_certificate
from tutor.audio import bytes_for_ms, silence
from tutor.brief import RestoredContext
from tutor.events import (
    AudioOut,
    CorrectionNoted,
    Interrupted,
    ProviderError,
    Resumable,
    SessionError,
    SpeechStarted,
    TextIn,
    TranscriptDelta,
    TranscriptFinal,
    TranscriptUpdate,
    TurnComplete,
    Usage,
    VideoFrameIn,
)
from tutor.providers.base import ProviderConnectError
from tutor.providers.catalog import CATALOG, ModelFacts
from tutor.providers.gemini.config import GeminiConfig
from tutor.providers.gemini.provider import (
    AUDIO_MIME,
    JOIN_CUE,
    TAKEOVER_BEFORE_ANSWER_CUE,
    TAKEOVER_CUE,
    GeminiProvider,
    audio_message,
)
from tutor.providers.gemini.text import GeminiTextModel
from tutor.providers.text import TextModelError
from tutor.session.store import MemoryStore

from .helpers import (
    FAST,
    events_until,
    eventually,
    lesson_setup,
    provider_for,
    runner_for,
    speak,
    speak_to,
    turn_complete,
)

HEARD, REPLY = FAST.script[0].heard, FAST.script[0].reply
REPLY_AFTER_NOTE = "Je voudrais un café, très bien !"
CORRECTION = {
    "original": "je veux café",
    "corrected": "je voudrais un café",
    "explanation": "Más educado.",
    "category": "grammar",
}


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> TestCertificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
async def serve(certificate: TestCertificate):
    """Starts a fake with FAST options changed by keyword; stops it after the test."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(**changes: object) -> FakeGeminiLive:
            return await stack.enter_async_context(FakeGeminiLive(certificate, replace(FAST, **changes)))

        yield start


# ---- one connection -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model", ["gemini-3.8-live", "gemini-3.1-flash-live-preview", "gemini-2.5-flash-native-audio-preview-12-2025"]
)
async def test_voice_turn_gives_student_transcript_then_tutor_audio_text_usage_and_handle(serve, certificate, model):
    fake = await serve()
    conn = await provider_for(fake, certificate).connect(lesson_setup(model=model))
    await speak(conn, utterance())
    events = await events_until(conn, lambda e: isinstance(e, Resumable))
    await conn.close()

    kinds = [type(e) for e in events]
    assert kinds[0] is SpeechStarted
    student_deltas = [e.text for e in events if isinstance(e, TranscriptDelta) and e.role == "student"]
    assert len(student_deltas) > 1 and "".join(student_deltas) == HEARD
    assert [e for e in events if isinstance(e, TranscriptFinal)] == [TranscriptFinal("student", HEARD)]
    assert kinds.index(TranscriptFinal) < kinds.index(AudioOut)
    assert "".join(e.text for e in events if isinstance(e, TranscriptDelta) and e.role == "tutor") == REPLY
    audio = b"".join(e.pcm for e in events if isinstance(e, AudioOut))
    assert len(audio) == len(REPLY.split()) * bytes_for_ms(FAST.reply_word_ms, 24_000)
    assert kinds.index(TurnComplete) > max(i for i, k in enumerate(kinds) if k is AudioOut)
    assert kinds.count(Usage) == 1 and kinds.count(TurnComplete) == 1
    received, sent = fake.connections[0].audio, utterance()
    assert received == sent[: len(received)]  # in order, and all but what waits to fill a chunk
    assert len(sent) - len(received) < bytes_for_ms(provider_for(fake, certificate).config.audio_chunk_ms, 16_000)


async def test_the_extended_thinking_model_keeps_its_turn_open_while_it_reasons_in_the_background(serve, certificate):
    """Its first turnComplete says interactionStatus IN_PROGRESS (it spoke a little and reasons on): not the end of
    the tutor's turn. The answer that follows belongs to the same turn, ended by the turnComplete that says IDLE."""
    fake = await serve(thinking_seconds=0.2)
    conn = await provider_for(fake, certificate).connect(lesson_setup(model="gemini-3.8-live-extended-thinking"))
    await speak(conn, utterance())
    usages: list[Usage] = []
    events = await events_until(conn, lambda e: isinstance(e, Usage) and (usages.append(e) or len(usages) == 2))
    await conn.close()

    statuses = [m["serverContent"].get("interactionStatus") for m in fake.connections[0].sent
                if m.get("serverContent", {}).get("turnComplete")]  # fmt: skip
    assert statuses == ["IN_PROGRESS", "IDLE"]  # two turnCompletes on the wire...
    assert [type(e) for e in events].count(TurnComplete) == 1  # ...one turn end for the runner, after both
    tutor = "".join(e.text for e in events if isinstance(e, TranscriptDelta) and e.role == "tutor")
    assert tutor == f"{THINKING_ALOUD} {REPLY}"
    assert [type(e) for e in events].count(Usage) == 2  # each generation billed, each recorded


async def test_setup_sets_up_learner_transcription_voice_tools_and_resumption(serve, certificate):
    fake = await serve()
    setup = lesson_setup()
    conn = await provider_for(fake, certificate).connect(setup)
    await conn.close()

    record = fake.connections[0]
    assert ".v1beta.GenerativeService.BidiGenerateContent" in record.path
    raw = record.setup.raw
    assert raw["model"] == "models/gemini-3.8-live"
    assert raw["generationConfig"]["speechConfig"] == {
        "voice_config": {"prebuilt_voice_config": {"voice_name": "Kore"}}
    }  # no language_code: a native-audio model picks the language, which the instructions name
    assert raw["inputAudioTranscription"] == {
        "language_codes": ["fr-FR", "es"],
        "custom_vocabulary": ["un café", "l'addition"],
        "mode": "VERBATIM",
    }
    assert raw["outputAudioTranscription"] == {}
    assert record.setup.instructions == setup.instructions
    assert record.setup.tools == {"note_correction", "note_vocabulary", "note_pronunciation", "complete_objective"}
    assert record.setup.resumption and record.setup.handle is None and record.setup.compression
    assert record.setup.silence_ms == 300


async def test_student_turn_is_final_when_the_tutors_turn_completes_even_without_a_finished_flag(serve, certificate):
    fake = await serve(finished_flag=False)
    conn = await provider_for(fake, certificate).connect(lesson_setup())
    await speak(conn, utterance())
    events = await events_until(conn, turn_complete)
    await conn.close()

    finals = [i for i, e in enumerate(events) if isinstance(e, TranscriptFinal)]
    assert [events[i] for i in finals] == [TranscriptFinal("student", HEARD)]
    assert finals[0] == len(events) - 2  # what trails the answer still belongs to it, up to the turn's end
    assert [type(e) for e in events].count(SpeechStarted) == 1


@pytest.mark.parametrize("late_words", [2, 99], ids=["last-words-late", "all-late"])
@pytest.mark.parametrize("finished_flag", [True, False], ids=["finished", "no-finished-flag"])
async def test_a_transcript_that_trails_the_answer_is_still_the_students_turn_before_it(
    serve, certificate, late_words, finished_flag
):
    fake = await serve(late_words=late_words, finished_flag=finished_flag)
    conn = await provider_for(fake, certificate).connect(lesson_setup())
    await speak(conn, utterance())
    events = await events_until(conn, turn_complete)
    await conn.close()

    kinds = [type(e) for e in events]
    first_audio = kinds.index(AudioOut)
    late = [
        i for i, e in enumerate(events) if isinstance(e, TranscriptDelta) and e.role == "student" and i > first_audio
    ]
    assert late, "the fake sent words of the student's transcript after the answer began"
    assert kinds.count(SpeechStarted) == 1 and kinds.index(SpeechStarted) < first_audio  # the place is kept
    assert [e for e in events if isinstance(e, TranscriptFinal)] == [TranscriptFinal("student", HEARD)]
    assert kinds.index(TranscriptFinal) > max(late)


async def test_a_late_transcript_is_stored_shown_and_watched_before_the_answer_it_prompted(serve, certificate):
    fake = await serve(late_words=99, finished_flag=False)
    store = MemoryStore()
    runner = runner_for(provider_for(fake, certificate), store)
    watched: list = []

    async def watch(event) -> None:
        watched.append(event)

    runner.audience.add_observer(watch)
    task = await start(runner)
    for exchange in (0, 1):
        await speak_to(runner, utterance())
        await eventually(lambda exchange=exchange: len(store.turns) == 2 * exchange + 2)
    runner.request_end("student")
    await task

    turns = sorted(store.turns, key=lambda t: t.index)
    expected = [FAST.script[0].heard, FAST.script[0].reply, FAST.script[1].heard, FAST.script[1].reply]
    assert [(t.role, t.text) for t in turns] == list(zip(["student", "tutor"] * 2, expected, strict=True))
    assert [t.index for t in turns] == [0, 1, 2, 3]
    finals = [(u.role, u.turn, u.text) for u in watched if isinstance(u, TranscriptUpdate) and u.final]
    assert finals == [(t.role, t.index, t.text) for t in turns]  # the teacher's watch, in the order said
    first_tutor = next(u for u in watched if isinstance(u, TranscriptUpdate) and u.role == "tutor")
    assert first_tutor.turn == 1  # numbered after the student's turn, which it came before


async def test_a_shared_camera_costs_about_64_tokens_a_frame_in_the_usage_rows(serve, certificate):
    """Through the runner and its store: the frames go at media_resolution LOW, and the usage row of the turn that
    follows bills them as the service does, about 64 tokens each instead of 258."""
    fake = await serve()
    store = MemoryStore()
    runner = runner_for(provider_for(fake, certificate), store)
    task = await start(runner)
    frames = [b"\xff\xd8\xff\xe0frame-%d\xff\xd9" % n for n in range(10)]
    await eventually(lambda: runner.state == "live")
    for frame in frames:
        await runner.handle(VideoFrameIn(frame, "image/jpeg"))
    await eventually(lambda: len(fake.connections[0].of_kind("image")) == len(frames))
    await runner.handle(TextIn("Qu'est-ce que vous voyez ?"))
    await eventually(lambda: store.usage)
    runner.request_end("student")
    await task

    [row] = store.usage
    assert row.image_in / len(frames) == 64


async def test_barge_in_interrupts_the_tutor_and_its_turn_completes_without_generation_complete(serve, certificate):
    long_reply = Exchange("Bonjour !", " ".join(["bla"] * 30))
    fake = await serve(pace=1.0, script=(long_reply, *FAST.script))
    conn = await provider_for(fake, certificate).connect(lesson_setup())
    await speak(conn, utterance())
    events = await events_until(conn, lambda e: isinstance(e, AudioOut))
    await speak(conn, utterance())  # the student speaks again while the tutor talks
    events += await events_until(conn, lambda e: isinstance(e, TranscriptFinal))
    await conn.close()

    kinds = [type(e) for e in events]
    interrupted = kinds.index(Interrupted)
    assert kinds[interrupted : interrupted + 2] == [Interrupted, TurnComplete]
    assert AudioOut not in kinds[interrupted:]  # nothing more of the abandoned answer
    assert events[-1] == TranscriptFinal("student", FAST.script[0].heard)
    sent = [next(iter(m.get("serverContent", {"other": 1}))) for m in fake.connections[0].sent]
    cut = sent.index("interrupted")
    assert sent[cut + 1] == "turnComplete" and "generationComplete" not in sent[:cut]


# ---- the app's turns (automatic activity detection disabled) --------------------------------------------


async def test_the_app_s_turns_are_marked_with_activity_start_and_end_and_answered_after_the_end(serve, certificate):
    fake = await serve()
    conn = await provider_for(fake, certificate, activity_detection="app").connect(lesson_setup())
    before = silence(200, 16_000)
    await speak(conn, before)  # heard before the app decided a turn began: held back, not lost
    assert fake.connections[0].setup.manual_activity
    await conn.activity_start(interrupting=False)
    await speak(conn, utterance())
    await conn.activity_end()
    events = await events_until(conn, turn_complete)
    await conn.close()

    record = fake.connections[0]
    kinds = [r.kind for r in record.received]
    assert kinds[0] == "activity_start" and kinds[-1] == "activity_end" and set(kinds[1:-1]) == {"audio"}
    assert record.audio == before + utterance()  # the moment before the start went first, then the turn, whole
    assert [e for e in events if isinstance(e, TranscriptFinal)] == [TranscriptFinal("student", HEARD)]
    assert "".join(e.text for e in events if isinstance(e, TranscriptDelta) and e.role == "tutor") == REPLY


async def test_audio_between_the_app_s_turns_is_not_sent_and_the_microphone_off_sends_nothing(serve, certificate):
    fake = await serve()
    conn = await provider_for(fake, certificate, activity_detection="app").connect(lesson_setup())
    await speak(conn, utterance())  # a noise the app did not take for a turn
    await conn.end_audio_stream()
    await conn.activity_start(interrupting=False)  # what is sent after it is the marker
    await eventually(lambda: fake.connections[0].received)
    await conn.close()
    assert fake.connections[0].received[0].kind == "activity_start"
    assert "audio_stream_end" not in [r.kind for r in fake.connections[0].received]


async def test_an_interrupting_turn_stops_the_tutor_s_late_audio_at_once(serve, certificate):
    long_reply = Exchange("Bonjour !", " ".join(["bla"] * 30))
    fake = await serve(pace=1.0, script=(long_reply, *FAST.script))
    conn = await provider_for(fake, certificate, activity_detection="app").connect(lesson_setup())
    await conn.activity_start(interrupting=False)
    await speak(conn, utterance())
    await conn.activity_end()
    await events_until(conn, lambda e: isinstance(e, AudioOut))
    await conn.activity_start(interrupting=True)  # the student speaks over the tutor
    after = await events_until(conn, turn_complete)
    await conn.close()

    kinds = [type(e) for e in after]
    assert AudioOut not in kinds, "the cut reply's audio, received or not, is not played"
    assert Interrupted in kinds and kinds.index(Interrupted) < kinds.index(TurnComplete)
    received = [r.kind for r in fake.connections[0].received]
    assert received.count("activity_start") == 2


async def test_microphone_off_flushes_batched_audio_then_sends_audio_stream_end(serve, certificate):
    fake = await serve()
    conn = await provider_for(fake, certificate, audio_chunk_ms=100).connect(lesson_setup())
    await speak(conn, silence(60, 16_000))  # less than one chunk: still batched
    await conn.end_audio_stream()
    await eventually(lambda: len(fake.connections[0].received) == 2)
    await conn.close()

    audio, end = fake.connections[0].received
    assert (audio.kind, audio.data, end.kind, end.data) == ("audio", silence(60, 16_000), "audio_stream_end", True)


async def test_audio_is_sent_in_chunks_of_the_configured_length(serve, certificate):
    fake = await serve()
    conn = await provider_for(fake, certificate, audio_chunk_ms=100).connect(lesson_setup())
    await speak(conn, silence(1000, 16_000))
    await eventually(lambda: len(fake.connections[0].audio) == bytes_for_ms(1000, 16_000))
    await conn.close()

    sizes = {len(r.data) for r in fake.connections[0].of_kind("audio")}
    assert sizes == {bytes_for_ms(100, 16_000)}
    assert '"mime_type": "audio/pcm;rate=16000"' in fake.connections[0].of_kind("audio")[0].raw


async def test_audio_is_sent_byte_for_byte_as_the_sdk_would_send_it(serve, certificate):
    fake = await serve()
    conn = await provider_for(fake, certificate, audio_chunk_ms=20).connect(lesson_setup())
    pcm = bytes(range(256)) * 5  # every byte value, so url-safe base64 shows its alphabet
    await conn.send_audio(pcm)
    await conn._session.send_realtime_input(audio=types.Blob(data=pcm, mime_type=AUDIO_MIME))
    await eventually(lambda: len(fake.connections[0].of_kind("audio")) == 2)
    await conn.close()

    ours, sdks = (r.raw for r in fake.connections[0].of_kind("audio"))
    assert ours == sdks == audio_message(pcm)


async def test_pictures_go_as_video_frames_and_typed_text_gets_an_answer(serve, certificate):
    fake = await serve()
    conn = await provider_for(fake, certificate).connect(lesson_setup())
    jpeg = b"\xff\xd8\xff\xe0fake-jpeg\xff\xd9"
    await conn.send_image(jpeg, "image/jpeg")
    await conn.send_text("Je voudrais un café.")
    events = await events_until(conn, lambda e: isinstance(e, Usage))
    await conn.close()

    assert [r.kind for r in fake.connections[0].received] == ["image", "text"]
    assert fake.connections[0].received[0].data == ("image/jpeg", jpeg)
    assert "".join(e.text for e in events if isinstance(e, TranscriptDelta) and e.role == "tutor") == REPLY
    usage = next(e for e in events if isinstance(e, Usage)).tokens
    assert usage.image_in == 64  # media_resolution LOW for the whole session, pictures included


async def test_frames_of_a_shared_camera_go_as_video_ask_for_no_answer_and_are_billed(serve, certificate):
    fake = await serve()
    conn = await provider_for(fake, certificate).connect(lesson_setup())
    frames = [b"\xff\xd8\xff\xe0frame-1\xff\xd9", b"\xff\xd8\xff\xe0frame-2\xff\xd9"]
    for frame in frames:
        await conn.send_video_frame(frame, "image/jpeg")
    await eventually(lambda: len(fake.connections[0].of_kind("image")) == 2)
    assert not any("serverContent" in message for message in fake.connections[0].sent)  # no answer to a frame
    await conn.send_text("Qu'est-ce que vous voyez ?")
    events = await events_until(conn, lambda e: isinstance(e, Usage))
    await conn.close()

    assert [r.data for r in fake.connections[0].of_kind("image")] == [("image/jpeg", frame) for frame in frames]
    assert '"video"' in fake.connections[0].of_kind("image")[0].raw  # realtime video input, as the SDK sends it
    # Sent at media_resolution LOW: about 64 tokens a frame instead of 258 (the fake bills what the setup asked).
    assert fake.connections[0].setup.raw["generationConfig"]["mediaResolution"] == "MEDIA_RESOLUTION_LOW"
    assert next(e for e in events if isinstance(e, Usage)).tokens.image_in == 2 * 64


async def test_a_takeover_says_it_is_back_alone_or_with_the_owed_answer_in_one_turn(serve, certificate):
    """Two texts in a row are two answers: the cue that it is back rides with the owed turn when there is one."""
    fake = await serve()
    conn = await provider_for(fake, certificate).connect(replace(lesson_setup(), takes_over=True))
    await events_until(conn, lambda e: isinstance(e, TurnComplete))
    await conn.close()
    assert [(r.kind, r.data) for r in fake.connections[0].received] == [("text", TAKEOVER_CUE)]
    conn = await provider_for(fake, certificate).connect(replace(lesson_setup(), takes_over=True, answer_owed=True))
    await conn.send_text("Un croissant")
    await events_until(conn, lambda e: isinstance(e, TurnComplete))
    await conn.close()
    assert [(r.kind, r.data) for r in fake.connections[1].received] == [
        ("text", f"{TAKEOVER_BEFORE_ANSWER_CUE}\nUn croissant")
    ]


async def test_a_new_lesson_cues_the_tutor_to_greet_first_but_a_resumed_one_does_not(serve, certificate):
    fake = await serve()
    conn = await provider_for(fake, certificate, greet_first=True).connect(lesson_setup())
    events = await events_until(conn, lambda e: isinstance(e, TurnComplete))
    assert [(r.kind, r.data) for r in fake.connections[0].received] == [("text", JOIN_CUE)]
    assert any(isinstance(e, TranscriptDelta) and e.role == "tutor" for e in events)
    await conn.close()
    again = await provider_for(fake, certificate, greet_first=True).connect(
        lesson_setup(context=RestoredContext(summary="Ana ordered a coffee."))
    )
    await again.close()
    assert fake.connections[1].received == []


async def test_sends_after_close_raise_connection_error(serve, certificate):
    fake = await serve()
    conn = await provider_for(fake, certificate).connect(lesson_setup())
    await conn.close()
    with pytest.raises(ConnectionError):
        await conn.send_audio(silence(20, 16_000))  # even less than a chunk
    with pytest.raises(ConnectionError):
        await conn.send_text("hello")
    await eventually(fake.connections[0].done.is_set)
    assert fake.connections[0].client_closed and fake.connections[0].close_code == 1000


async def test_sends_after_the_service_closed_raise_connection_error(serve, certificate):
    fake = await serve()
    fake.inject(CloseMidTurn())
    conn = await provider_for(fake, certificate, audio_chunk_ms=20).connect(lesson_setup())
    await speak(conn, utterance())
    await events_until(conn, lambda e: isinstance(e, ProviderError))
    with pytest.raises(ConnectionError):
        await conn.send_audio(silence(20, 16_000))
    await conn.close()


@pytest.mark.parametrize("handle_delay", [0.3, 30.0], ids=["handle-comes", "handle-never-comes"])
async def test_after_goaway_the_turn_end_waits_for_its_handle_but_not_for_ever(serve, certificate, handle_delay):
    fake = await serve(handle_delay=handle_delay, handle_after_goaway=False)
    fake.inject(GoAwayMidTurn(time_left=5.0))
    conn = await provider_for(fake, certificate).connect(lesson_setup())
    await speak(conn, utterance())
    events = await events_until(conn, turn_complete)
    await conn.close()

    kinds = [type(e) for e in events]
    if handle_delay < 1:
        assert kinds[-2:] == [Resumable, TurnComplete]  # the runner reconnects on TurnComplete: handle first
    else:
        assert Resumable not in kinds and kinds[-1] is TurnComplete  # released after a short grace


# ---- failures -----------------------------------------------------------------------------------


async def test_bad_key_fails_to_connect_with_a_clear_error_that_is_not_retried(serve, certificate):
    fake = await serve()
    with pytest.raises(ProviderConnectError) as failure:
        await provider_for(fake, certificate, api_key="wrong-key").connect(lesson_setup())
    assert (failure.value.code, failure.value.retryable) == ("auth", False)
    assert "API key not valid" in failure.value.message and "GEMINI_API_KEY" in failure.value.message


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"model": "gemini-0-live"}, "refused"),  # 1008: unknown model
        ({"language": "French please"}, "invalid_request"),  # 1007: not a language code
    ],
)
async def test_refused_setups_fail_to_connect_without_retry(serve, certificate, changes, code):
    fake = await serve()
    with pytest.raises(ProviderConnectError) as failure:
        await provider_for(fake, certificate).connect(lesson_setup(**changes))
    assert (failure.value.code, failure.value.retryable) == (code, False)


async def test_wrong_api_version_path_is_refused_without_retry(serve, certificate):
    fake = await serve()
    with pytest.raises(ProviderConnectError) as failure:
        await provider_for(fake, certificate, api_version="v2").connect(lesson_setup())
    assert (failure.value.code, failure.value.retryable) == ("refused", False)
    assert "404" in failure.value.message


async def test_unreachable_service_is_a_retryable_connect_error(certificate):
    config = GeminiConfig(api_key="k", base_url="https://127.0.0.1:9", ssl_context=certificate.client_context())
    with pytest.raises(ProviderConnectError) as failure:
        await GeminiProvider(config).connect(lesson_setup())
    assert (failure.value.code, failure.value.retryable) == ("unavailable", True)


@pytest.mark.parametrize(("handle", "code"), [(None, "unavailable"), ("any-handle", "resumption_rejected")])
async def test_a_1011_during_setup_is_retried(serve, certificate, handle, code):
    fake = await serve()
    fake.inject(RefuseConnection())
    with pytest.raises(ProviderConnectError) as failure:
        await provider_for(fake, certificate).connect(lesson_setup(handle=handle))
    assert (failure.value.code, failure.value.retryable) == (code, True)


async def test_expired_resumption_handle_is_rejected_as_retryable(serve, certificate):
    fake = await serve()
    with pytest.raises(ProviderConnectError) as failure:
        await provider_for(fake, certificate).connect(lesson_setup(handle="expired-handle"))
    assert (failure.value.code, failure.value.retryable) == ("resumption_rejected", True)


@pytest.mark.parametrize("fault", [CloseMidTurn(), DropMidTurn()], ids=["1011", "tcp-drop"])
async def test_1011_or_dropped_connection_ends_events_with_a_retryable_error(serve, certificate, fault):
    fake = await serve()
    fake.inject(fault)
    conn = await provider_for(fake, certificate).connect(lesson_setup())
    await speak(conn, utterance())
    events = [e async for e in conn.events()]  # ends by itself once the connection is gone
    await conn.close()

    error = events[-1]
    assert isinstance(error, ProviderError) and error.retryable
    assert error.code == ("unavailable" if isinstance(fault, CloseMidTurn) else "dropped")


async def test_1007_mid_session_ends_events_with_a_clear_error_that_is_not_retried(serve, certificate):
    fake = await serve()
    fake.inject(CloseMidTurn(1007, "Request contains an invalid argument."))
    conn = await provider_for(fake, certificate).connect(lesson_setup())
    await speak(conn, utterance())
    events = [e async for e in conn.events()]
    await conn.close()

    assert events[-1] == ProviderError(
        "invalid_request",
        "The tutor service rejected the session's settings (Request contains an invalid argument.). "
        "The lesson's model, voice or language may not be supported.",
        retryable=False,
    )


# ---- with the runner ----------------------------------------------------------------------------


async def start(runner) -> asyncio.Task:
    """Runs the session on a task and waits until it is live."""
    task = asyncio.create_task(runner.run())
    await eventually(lambda: runner.state == "live" or task.done())
    return task


@pytest.mark.parametrize(
    ("model", "blocking"),
    [
        ("gemini-3.8-live", False),
        ("gemini-2.5-flash-native-audio-preview-12-2025", False),
        ("gemini-3.1-flash-live-preview", True),  # calls functions only blocking
    ],
)
async def test_tools_are_declared_non_blocking_where_the_model_allows_it(serve, certificate, model, blocking):
    fake = await serve()
    conn = await provider_for(fake, certificate).connect(lesson_setup(model=model))
    await conn.close()

    setup = fake.connections[0].setup
    declarations = setup.raw["tools"][0]["functionDeclarations"]
    assert [d.get("behavior") for d in declarations] == [None if blocking else "NON_BLOCKING"] * 4
    assert setup.blocking == (setup.tools if blocking else frozenset())
    assert setup.language_code is None


async def test_speech_language_code_goes_only_to_a_model_that_uses_it(serve, certificate):
    half_cascade = ModelFacts("gemini-live-2.5-flash", "gemini", "live", 32_768, uses_language_code=True)
    catalog = replace(CATALOG, models=(*CATALOG.models, half_cascade))
    fake = await serve()
    for model in ("gemini-3.8-live", "gemini-live-2.5-flash"):
        conn = await GeminiProvider(provider_for(fake, certificate).config, catalog).connect(lesson_setup(model=model))
        await conn.close()

    native, cascaded = (record.setup for record in fake.connections)
    assert native.language_code is None  # the fake refuses it from a native-audio model
    assert cascaded.language_code == "fr-FR"
    assert cascaded.raw["generationConfig"]["speechConfig"]["language_code"] == "fr-FR"


@pytest.mark.parametrize(
    ("model", "spoken"),
    [
        ("gemini-3.8-live", REPLY_AFTER_NOTE),
        ("gemini-2.5-flash-native-audio-preview-12-2025", REPLY_AFTER_NOTE),
        ("gemini-3.1-flash-live-preview", f"{SPOKEN_RESULT} {REPLY_AFTER_NOTE}"),  # blocking: SILENT is ignored
    ],
)
async def test_a_note_answered_silent_is_not_spoken_about_where_calls_do_not_block(serve, certificate, model, spoken):
    fake = await serve(script=(Exchange("Je veux café.", REPLY_AFTER_NOTE, tool=("note_correction", CORRECTION)),))
    store = MemoryStore()
    runner = runner_for(provider_for(fake, certificate), store, model=model)
    task = await start(runner)
    await speak_to(runner, utterance())
    await eventually(lambda: len(store.turns) == 2 and store.notes_of(CorrectionNoted))
    runner.request_end("student")
    await task

    [response] = fake.connections[0].of_kind("tool_response")[0].data
    assert response["scheduling"] == "SILENT"
    assert [(t.role, t.text) for t in sorted(store.turns, key=lambda t: t.index)] == [
        ("student", "Je veux café."),
        ("tutor", spoken),
    ]


async def test_a_tool_error_is_heard_and_answered_without_a_student_turn_of_its_own(serve, certificate):
    bad_call = ("note_vocabulary", {"word": "café", "status": "forgotten"})
    fake = await serve(script=(Exchange("Je veux café.", REPLY_AFTER_NOTE, tool=bad_call),))
    store = MemoryStore()
    runner = runner_for(provider_for(fake, certificate), store)
    task = await start(runner)
    await speak_to(runner, utterance())
    await eventually(lambda: len(store.turns) == 3)
    runner.request_end("student")
    await task

    [response] = fake.connections[0].of_kind("tool_response")[0].data
    assert response["scheduling"] == "WHEN_IDLE" and "error" in response["response"]
    assert [(t.role, t.text) for t in sorted(store.turns, key=lambda t: t.index)] == [
        ("student", "Je veux café."),
        ("tutor", REPLY_AFTER_NOTE),
        ("tutor", SPOKEN_RESULT),  # the model spoke about the error once idle: no empty student turn before it
    ]


async def test_tool_call_is_answered_with_its_id_and_stored_as_a_correction(serve, certificate):
    correction = {
        "original": "je veux café",
        "corrected": "je voudrais un café",
        "explanation": "Más educado.",
        "category": "grammar",
    }
    script = (Exchange("Je veux café.", "Je voudrais un café, très bien !", tool=("note_correction", correction)),)
    fake = await serve(script=script)
    store = MemoryStore()
    runner = runner_for(provider_for(fake, certificate), store)
    task = await start(runner)
    await speak_to(runner, utterance())
    await eventually(lambda: len(store.turns) == 2 and store.notes_of(CorrectionNoted))
    runner.request_end("student")
    await task

    [note] = store.notes_of(CorrectionNoted)
    assert (note.original, note.corrected, note.category) == ("je veux café", "je voudrais un café", "grammar")
    assert note.turn == 0  # the student's turn it corrects
    call = next(m["toolCall"]["functionCalls"][0] for m in fake.connections[0].sent if "toolCall" in m)
    [response] = fake.connections[0].of_kind("tool_response")[0].data
    assert (response["id"], response["name"], response["response"]) == (call["id"], "note_correction", {"ok": True})
    assert response["scheduling"] == "SILENT"
    assert [t.text for t in sorted(store.turns, key=lambda t: t.index)] == ["Je veux café.", script[0].reply]


@pytest.mark.parametrize("handle_delay", [0.0, 0.3], ids=["handle-at-once", "handle-late"])
async def test_goaway_mid_turn_reconnects_with_the_last_handle_after_the_turn_and_loses_no_turn(
    serve, certificate, handle_delay
):
    fake = await serve(pace=0.5, handle_delay=handle_delay)
    fake.inject(GoAwayMidTurn(time_left=3.0))
    store = MemoryStore()
    runner = runner_for(provider_for(fake, certificate), store, goaway_margin=0.5)
    task = await start(runner)
    await speak_to(runner, utterance())
    await eventually(lambda: len(fake.connections) == 2 and fake.connections[0].done.is_set())
    await speak_to(runner, utterance())
    await eventually(lambda: len(store.turns) == 4)
    runner.request_end("student")
    await task

    first, second = fake.connections
    last_handle = [m["sessionResumptionUpdate"]["newHandle"] for m in first.sent if "sessionResumptionUpdate" in m][-1]
    assert second.setup.handle == last_handle
    assert first.client_closed and first.close_code == 1000  # closed by us, before the service's 1011
    turns = sorted(store.turns, key=lambda t: t.index)
    expected = [FAST.script[0].heard, FAST.script[0].reply, FAST.script[1].heard, FAST.script[1].reply]
    assert [t.text for t in turns] == expected  # the resumed session went on with the script
    assert not any(t.interrupted for t in turns)
    assert store.ended == ("student", False)


async def test_1011_mid_turn_reconnects_with_the_last_handle_and_the_session_goes_on(serve, certificate):
    fake = await serve()
    store = MemoryStore()
    runner = runner_for(provider_for(fake, certificate), store)
    task = await start(runner)
    await speak_to(runner, utterance())
    await eventually(lambda: len(store.turns) == 2)
    handle = store.resumption_handle
    fake.inject(CloseMidTurn())
    await speak_to(runner, utterance())
    await eventually(lambda: len(fake.connections) == 2 and runner.state == "live")
    # The question the cut answer was for is asked again of the new connection, as its text (it was
    # transcribed already: its audio would be transcribed twice), and answered in full.
    await eventually(lambda: len(store.turns) == 5)
    await speak_to(runner, utterance())
    await eventually(lambda: len(store.turns) == 7)
    runner.request_end("student")
    await task

    assert fake.connections[0].close_code == 1011 and not fake.connections[0].client_closed
    assert fake.connections[1].setup.handle == handle
    turns = sorted(store.turns, key=lambda t: t.index)
    assert [t.interrupted for t in turns] == [False, False, False, True, False, False, False]
    assert [t.role for t in turns] == ["student", "tutor", "student", "tutor", "tutor", "student", "tutor"]
    assert [m.data for m in fake.connections[1].of_kind("text")] == [turns[2].text]
    assert store.ended == ("student", False)


async def test_an_expired_handle_makes_the_runner_start_afresh_and_the_session_goes_on(serve, certificate):
    fake = await serve()
    store = MemoryStore()
    runner = runner_for(provider_for(fake, certificate), store)
    task = await start(runner)
    await speak_to(runner, utterance())
    await eventually(lambda: len(store.turns) == 2)
    handle = store.resumption_handle
    fake.expire_handles()
    fake.inject(CloseMidTurn())
    await speak_to(runner, utterance())
    await eventually(lambda: len(fake.connections) == 3 and runner.state == "live")
    await eventually(lambda: len(store.turns) == 5)  # the cut-off question, answered by the fresh session
    await speak_to(runner, utterance())
    await eventually(lambda: len(store.turns) == 7)
    runner.request_end("student")
    await task

    assert [c.setup.handle for c in fake.connections] == [None, handle, None]
    assert fake.connections[1].close_code == 1007  # the handle was refused; the fresh session was not
    assert store.ended == ("student", False)


async def test_bad_key_ends_the_session_with_a_clear_fatal_error(serve, certificate, caplog):
    fake = await serve()
    store = MemoryStore()
    runner = runner_for(provider_for(fake, certificate, api_key="wrong-key"), store)
    seen = []

    async def observe(event):
        seen.append(event)

    runner.audience.add_observer(observe)
    reason = await asyncio.wait_for(runner.run(), 15)

    assert reason == "provider_error" and store.ended == ("provider_error", True)
    [error] = [e for e in seen if isinstance(e, SessionError)]
    assert error.code == "provider_refused" and error.fatal and "GEMINI_API_KEY" in caplog.text
    assert len(fake.connections) == 1  # a bad key is not retried


async def test_usage_of_every_turn_is_recorded_by_modality(serve, certificate):
    fake = await serve()
    store = MemoryStore()
    runner = runner_for(provider_for(fake, certificate), store)
    task = await start(runner)
    for turns in (2, 4):
        await speak_to(runner, utterance())
        await eventually(lambda turns=turns: len(store.turns) == turns)
    runner.request_end("student")
    await task

    sent = [m["usageMetadata"] for m in fake.connections[0].sent if "usageMetadata" in m]
    assert len(store.usage) == len(sent) == 2
    for usage, wire in zip(store.usage, sent, strict=True):
        details = {d["modality"]: d["tokenCount"] for d in wire["promptTokensDetails"]}
        assert (usage.text_in, usage.audio_in) == (details["TEXT"], details["AUDIO"])
        assert usage.audio_out == wire["responseTokenCount"] > 0
    assert store.usage[1].audio_in > store.usage[0].audio_in  # the whole context is billed again


# ---- the text model -----------------------------------------------------------------------------


@pytest.fixture
def rest(certificate):
    with FakeGeminiRest(certificate) as fake:
        yield fake


SUMMARY = {"type": "object", "properties": {"summary": {"type": "string"}}, "required": ["summary"]}


def text_model(
    rest: FakeGeminiRest, certificate: TestCertificate, model: str = "gemini-3.5-flash-lite", **changes: object
) -> GeminiTextModel:
    config = GeminiConfig(api_key=rest.options.api_key, base_url=rest.url, ssl_context=certificate.client_context())
    return GeminiTextModel(replace(config, **changes), model)


async def test_text_model_asks_for_json_of_the_schema_and_returns_it_with_its_usage(rest, certificate):
    result = await text_model(rest, certificate).complete(
        system="Summarise.", prompt="Ana ordered a coffee.", schema=SUMMARY
    )

    assert json.loads(result.text) == {"summary": rest.options.reply} and result.model == "gemini-3.5-flash-lite"
    [call] = rest.calls
    assert result.usage.text_in + result.usage.text_out == rest.billed_tokens > 0
    assert call.body["systemInstruction"]["parts"][0]["text"] == "Summarise."
    config = call.body["generationConfig"]
    assert config["maxOutputTokens"] == 1024 and config["responseMimeType"] == "application/json"
    assert config["responseJsonSchema"] == SUMMARY  # Gemini's structured output


async def test_a_shut_down_text_model_is_a_404_not_found_and_not_retried(rest, certificate):
    with pytest.raises(TextModelError) as failure:
        await text_model(rest, certificate, model="gemini-2.5-flash").complete(system="s", prompt="p", schema=SUMMARY)
    assert not failure.value.retryable and "404 NOT_FOUND" in failure.value.message
    assert "models/gemini-2.5-flash is not found" in failure.value.message and rest.billed_tokens == 0


@pytest.mark.parametrize(("status", "retryable"), [(429, True), (503, True), (500, True), (400, False), (403, False)])
async def test_text_model_errors_are_retryable_only_for_rate_limits_and_server_errors(
    rest, certificate, status, retryable
):
    rest.fail_next(status, "something went wrong")
    with pytest.raises(TextModelError) as failure:
        await text_model(rest, certificate).complete(system="s", prompt="p", schema=SUMMARY)
    assert failure.value.retryable is retryable and str(status) in failure.value.message


async def test_text_model_bad_key_is_not_retryable(rest, certificate):
    with pytest.raises(TextModelError) as failure:
        await text_model(rest, certificate, api_key="wrong").complete(system="s", prompt="p", schema=SUMMARY)
    assert not failure.value.retryable and "API key not valid" in failure.value.message


async def test_text_model_without_text_in_its_answer_is_unusable_and_carries_what_it_billed(rest, certificate):
    with pytest.raises(TextModelError) as failure:
        await text_model(rest, certificate).complete(system="s", prompt="p", schema=SUMMARY, max_output_tokens=0)
    assert failure.value.unusable and "MAX_TOKENS" in failure.value.message
    assert failure.value.usage.total == rest.billed_tokens > 0


async def test_text_model_unreachable_is_retryable(certificate):
    config = GeminiConfig(api_key="k", base_url="https://127.0.0.1:9", ssl_context=certificate.client_context())
    with pytest.raises(TextModelError) as failure:
        await GeminiTextModel(config, "gemini-3.5-flash-lite").complete(system="s", prompt="p", schema=SUMMARY)
    assert failure.value.retryable
