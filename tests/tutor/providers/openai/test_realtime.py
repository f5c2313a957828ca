"""The OpenAI Realtime provider, through its real client, against the fake service (tests/fakes).

Connection-level tests read `events()` directly; the others run a whole SessionRunner with a
MemoryStore, as a live session does. Timeouts only guard against hangs; nothing waits on a clock.
"""

import asyncio
import base64
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from decimal import Decimal

import pytest

from tests.fakes.openai_realtime import FakeRealtimeServer, Recording, Reply, tone
from tests.fakes.tls import make_certificate, self_signed_contexts
from tutor import persona
from tutor.audio import chunks, silence
from tutor.brief import LearnerProfile, LessonBrief, Persona, RestoredContext, SessionSetup, VocabularyEntry
from tutor.config import RunnerConfig
from tutor.events import (
    AudioIn,
    AudioOut,
    ClientEvent,
    CorrectionNoted,
    Interrupted,
    PlaybackReport,
    ProviderError,
    ProviderEvent,
    SpeechStarted,
    StatusChanged,
    TextIn,
    TokenUsage,
    ToolCall,
    TranscriptFinal,
    TranscriptUpdate,
    TurnComplete,
    TurnCompleted,
)
from tutor.providers.base import ProviderConnectError
from tutor.providers.catalog import CATALOG
from tutor.providers.openai.config import OpenAIConfig
from tutor.providers.openai.realtime import OpenAIRealtimeProvider, token_usage, transcription_usage
from tutor.providers.openai.session import session_update
from tutor.providers.pricing import cost_usd
from tutor.session.runner import SessionRunner
from tutor.session.store import MemoryStore
from tutor.session.turns import heard_text

HANG = 10  # seconds; only against hangs
LESSON = LessonBrief(
    title="Café in Lyon",
    language="fr-FR",
    level="A1",
    scenario="Order breakfast at a café.",
    persona=Persona(name="Camille"),
    objectives=("Order a drink",),
)
LEARNER = LearnerProfile(name="Ana", native_language="es")
CORRECTION = {
    "original": "je suis allé",
    "corrected": "je suis allée",
    "explanation": "Ana es femenino: allée.",
    "category": "grammar",
}


@pytest.fixture
async def fake():
    async with FakeRealtimeServer() as server:
        yield server


def provider_for(fake: FakeRealtimeServer, **overrides) -> OpenAIRealtimeProvider:
    """Server VAD with short silences: the fake's VAD runs on audio time, so tests stay fast."""
    settings = {"turn_detection": "server_vad", "vad_prefix_padding_ms": 100, "vad_silence_ms": 200} | overrides
    return OpenAIRealtimeProvider(OpenAIConfig(api_key="sk-test", base_url=fake.base_url, **settings))


def lesson_setup(**overrides) -> SessionSetup:
    arguments = {"lesson": LESSON, "learner": LEARNER, "model": "gpt-realtime", "voice": "marin"} | overrides
    return persona.build_setup(**arguments)


async def read_until(
    stream: AsyncIterator[ProviderEvent], wanted: type | Callable[[ProviderEvent], bool], seen: list | None = None
) -> ProviderEvent:
    """Read events up to the first that is of type `wanted` (or satisfies it)."""
    matches = (lambda event: isinstance(event, wanted)) if isinstance(wanted, type) else wanted
    async with asyncio.timeout(HANG):
        async for event in stream:
            if seen is not None:
                seen.append(event)
            if matches(event):
                return event
    raise AssertionError(f"the events ended before {wanted}")


def tutor_final(event: ProviderEvent) -> bool:
    """The student's transcript arrives on its own time, so tests wait for the tutor's by role."""
    return isinstance(event, TranscriptFinal) and event.role == "tutor"


def speech(speech_ms: int = 300, silence_ms: int = 500) -> list[bytes]:
    """A student's utterance as the browser sends it: 16 kHz PCM in 20 ms frames."""
    return list(chunks(tone(speech_ms, rate=16_000) + silence(silence_ms, 16_000), 640))


def fake_audio_deltas(recording: Recording) -> int:
    return len(recording.sent_of("response.output_audio.delta"))


def responses_done(recording: Recording) -> int:
    return len(recording.sent_of("response.done"))


class Watch:
    """What the runner shows the browser (all but audio), with a wait for a condition on it."""

    def __init__(self) -> None:
        self.events: list[ClientEvent] = []
        self._changed = asyncio.Event()

    async def __call__(self, event: ClientEvent) -> None:
        self.events.append(event)
        self._changed.set()

    async def until(self, predicate: Callable[[list[ClientEvent]], bool]) -> None:
        async with asyncio.timeout(HANG):
            while not predicate(self.events):
                self._changed.clear()
                await self._changed.wait()

    def turn_completed(self, turn: int) -> Callable[[list[ClientEvent]], bool]:
        return lambda events: TurnCompleted(turn=turn) in events


@contextlib.asynccontextmanager
async def running(provider: OpenAIRealtimeProvider, store: MemoryStore) -> AsyncIterator[tuple[SessionRunner, Watch]]:
    runner = SessionRunner(
        session_id=1,
        provider=provider,
        store=store,
        lesson=LESSON,
        learner=LEARNER,
        model="gpt-realtime",
        voice="marin",
        config=RunnerConfig(max_seconds=300, backoff=0.01),
    )
    watch = Watch()
    runner.audience.add_observer(watch)
    runner.attach()
    task = asyncio.create_task(runner.run())
    try:
        yield runner, watch
    finally:
        runner.request_end("student")
        async with asyncio.timeout(HANG):
            await task


async def until(predicate: Callable[[], bool]) -> None:
    """For state with no event to wait on (the store is written on its own task)."""
    async with asyncio.timeout(HANG):
        while not predicate():
            await asyncio.sleep(0.01)


# ---- setting up --------------------------------------------------------------------------------


def test_realtime_url_is_derived_from_the_base_url():
    def url(base: str, model: str = "gpt-realtime") -> str:
        return OpenAIConfig(api_key="k", base_url=base).realtime_url(model)

    assert url("https://api.openai.com/v1") == "wss://api.openai.com/v1/realtime?model=gpt-realtime"
    assert url("http://127.0.0.1:8765/v1/") == "ws://127.0.0.1:8765/v1/realtime?model=gpt-realtime"
    assert (
        url("https://tutor.openai.azure.com/openai/v1", "my realtime")
        == "wss://tutor.openai.azure.com/openai/v1/realtime?model=my+realtime"
    )
    with pytest.raises(ValueError, match="OPENAI_BASE_URL"):
        url("ftp://example.org/v1")


@pytest.mark.parametrize(
    ("overrides", "detection"),
    [
        ({}, {"type": "server_vad", "threshold": 0.5, "prefix_padding_ms": 100, "silence_duration_ms": 200}),
        ({"turn_detection": "semantic_vad", "eagerness": "low"}, {"type": "semantic_vad", "eagerness": "low"}),
    ],
)
async def test_session_is_configured_in_the_ga_shape_and_the_service_accepts_it(fake, overrides, detection):
    setup = lesson_setup()
    connection = await provider_for(fake, **overrides).connect(setup)
    await connection.close()
    recording = fake.recordings[0]
    assert recording.handshake.path == "/v1/realtime?model=gpt-realtime"
    assert recording.handshake.headers["authorization"] == "Bearer sk-test"
    assert "openai-beta" not in recording.handshake.headers
    assert recording.errors() == []
    session = recording.received_of("session.update")[0]["session"]
    assert session["type"] == "realtime" and session["instructions"] == setup.instructions
    assert session["audio"]["input"]["format"] == {"type": "audio/pcm", "rate": 24000}
    assert session["audio"]["input"]["transcription"] == {"model": "gpt-transcribe", "languages": ["fr", "es"]}
    assert session["audio"]["input"]["noise_reduction"] == {"type": "near_field"}
    assert session["audio"]["output"] == {"format": {"type": "audio/pcm", "rate": 24000}, "voice": "marin"}
    assert session["tools"] == [
        {"type": "function", "name": t.name, "description": t.description, "parameters": t.parameters}
        for t in persona.TOOLS
    ]
    applied = recording.sent_of("session.updated")[0]["session"]
    assert applied["audio"]["input"]["turn_detection"] == detection | {
        "create_response": True,
        "interrupt_response": True,
    }
    assert [e["type"] for e in recording.received][-1] == "response.create"  # a new lesson: the tutor greets


async def test_a_takeover_with_nothing_owed_says_it_is_back_at_once(fake):
    connection = await provider_for(fake).connect(replace(lesson_setup(), takes_over=True))
    recording = fake.recordings[0]
    await until(lambda: recording.received_of("response.create"))
    await connection.close()
    types = [e["type"] for e in recording.received]
    note = types.index("response.create") - 1
    assert types[note] == "conversation.item.create" and "is back" in json.dumps(recording.received[note]["item"])


async def test_a_takeover_that_owes_an_answer_waits_for_the_turn_and_answers_it_once(fake):
    """The back line goes with the answer: asked before the owed turn, the tutor would answer blind and
    then answer again."""
    connection = await provider_for(fake).connect(replace(lesson_setup(), takes_over=True, answer_owed=True))
    await connection.send_text("Un croissant, s'il vous plaît")
    recording = fake.recordings[0]
    await until(lambda: recording.received_of("response.create"))
    await connection.close()
    received = [json.dumps(e) for e in recording.received]
    note = next(i for i, e in enumerate(received) if "still unanswered" in e)
    owed = next(i for i, e in enumerate(received) if "croissant" in e)
    asked = [i for i, e in enumerate(recording.received) if e["type"] == "response.create"]
    assert note < owed < asked[0] and len(asked) == 1


def test_transcription_language_is_iso_639_1_or_left_to_the_model():
    config = OpenAIConfig(api_key="k", transcription_model="gpt-4o-mini-transcribe")
    french = session_update(lesson_setup(), config)["audio"]["input"]["transcription"]
    cantonese = session_update(replace(lesson_setup(), language="yue-HK"), config)
    assert french == {"model": "gpt-4o-mini-transcribe", "language": "fr"}
    # Cantonese has no ISO-639-1 code: the model detects it, with only the student's own language as a hint left.
    assert cantonese["audio"]["input"]["transcription"] == {"model": "gpt-4o-mini-transcribe", "language": "es"}
    assert (
        session_update(replace(lesson_setup(), transcription=False), config)["audio"]["input"]["transcription"] is None
    )


WORDS = replace(LESSON, vocabulary=(VocabularyEntry("un café"), VocabularyEntry("l'addition")))


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("gpt-transcribe", {"languages": ["fr", "es"], "keywords": ["un café", "l'addition"]}),
        ("gpt-live-transcribe", {"languages": ["fr", "es"], "keywords": ["un café", "l'addition"]}),
        (
            "gpt-4o-transcribe",
            {"language": "fr", "prompt": "A language lesson; the learner may say these words: un café, l'addition."},
        ),
        ("whisper-1", {"language": "fr", "prompt": "un café, l'addition"}),
        ("gpt-realtime-whisper", {"language": "fr"}),  # takes no prompt in a Realtime session
        ("a-transcriber-nobody-knows", {"language": "fr"}),
    ],
)
async def test_transcription_gets_the_lessons_language_and_words_the_way_its_model_takes_them(fake, model, expected):
    setup = lesson_setup(lesson=WORDS)
    assert (
        session_update(setup, OpenAIConfig(api_key="k", transcription_model=model))["audio"]["input"]["transcription"]
        == {"model": model} | expected
    )
    if model == "a-transcriber-nobody-knows":
        return
    connection = await provider_for(fake, transcription_model=model).connect(setup)
    await connection.close()
    assert fake.recordings[0].errors() == []  # the service takes each shape from its own model


async def test_invalid_voice_fails_before_dialing(fake):
    with pytest.raises(ProviderConnectError) as refused:
        await provider_for(fake).connect(lesson_setup(voice="nova"))
    assert (refused.value.code, refused.value.retryable) == ("invalid_voice", False)
    assert "marin" in refused.value.message
    assert fake.handshakes == []


async def test_bad_key_is_a_clear_non_retryable_error(fake):
    provider = OpenAIRealtimeProvider(OpenAIConfig(api_key="sk-not-this-one", base_url=fake.base_url))
    with pytest.raises(ProviderConnectError) as refused:
        await provider.connect(lesson_setup())
    assert (refused.value.code, refused.value.retryable) == ("auth", False)
    assert "HTTP 401" in refused.value.message and "OPENAI_API_KEY" in refused.value.message
    assert "Incorrect API key" in refused.value.message


async def test_an_azure_key_goes_as_an_api_key_header_and_never_as_a_bearer_token():
    async with FakeRealtimeServer(auth="api-key") as azure:
        connection = await provider_for(azure, auth="api-key").connect(lesson_setup())
        await connection.close()
    headers = azure.recordings[0].handshake.headers
    assert headers["api-key"] == "sk-test" and "authorization" not in headers
    assert azure.recordings[0].sent_of("session.updated")


@pytest.mark.parametrize(
    ("service", "sent", "refusal"),
    [
        ("api-key", "bearer", "Access token is missing, invalid"),  # Azure: a resource key is no Bearer token
        ("bearer", "api-key", "You didn't provide an API key"),  # OpenAI knows no api-key header
    ],
)
async def test_the_wrong_way_of_sending_the_key_is_refused_with_401_and_not_retried(service, sent, refusal):
    async with FakeRealtimeServer(auth=service) as fake:
        with pytest.raises(ProviderConnectError) as refused:
            await provider_for(fake, auth=sent).connect(lesson_setup())
    assert (refused.value.code, refused.value.retryable) == ("auth", False)
    assert "HTTP 401" in refused.value.message and "OPENAI_AUTH" in refused.value.message
    assert refusal in refused.value.message
    assert [h.status for h in fake.handshakes] == [401]


def test_auth_is_bearer_or_api_key_and_nothing_else():
    assert OpenAIConfig(api_key="k").auth_headers() == {"Authorization": "Bearer k"}
    assert OpenAIConfig(api_key="k", auth="api-key").auth_headers() == {"api-key": "k"}
    with pytest.raises(ValueError, match="OPENAI_AUTH"):
        OpenAIConfig(api_key="k", auth="token")


async def test_unreachable_service_is_retryable():
    provider = OpenAIRealtimeProvider(OpenAIConfig(api_key="sk-test", base_url="http://127.0.0.1:9/v1"))
    with pytest.raises(ProviderConnectError) as refused:
        await provider.connect(lesson_setup())
    assert (refused.value.code, refused.value.retryable) == ("unreachable", True)


async def test_connects_over_tls_with_the_configured_trust():
    server_tls, client_tls = self_signed_contexts()
    async with FakeRealtimeServer(ssl_context=server_tls) as fake:
        assert fake.base_url.startswith("https://")
        connection = await provider_for(fake, ssl_context=client_tls).connect(lesson_setup())
        await connection.close()
        assert fake.recordings[0].sent_of("session.updated")


async def test_connects_over_tls_trusting_a_private_ca_file(tmp_path):
    """OPENAI_CA_FILE: a self-hosted compatible server (or a proxy) with its own certificate authority."""
    certificate = make_certificate(tmp_path)
    async with FakeRealtimeServer(ssl_context=certificate.server_context()) as fake:
        connection = await provider_for(fake, ca_file=str(certificate.cert_file)).connect(lesson_setup())
        await connection.close()
        assert fake.recordings[0].sent_of("session.updated")


# ---- a lesson through the runner ---------------------------------------------------------------


async def test_voice_turn_carries_audio_and_both_transcripts_into_the_stored_turns(fake):
    fake.replies.extend([Reply("Bonjour Ana !", audio_ms=300), Reply("Un café, très bien.", audio_ms=400)])
    fake.transcripts.append("Je voudrais un café.")
    store = MemoryStore()
    async with running(provider_for(fake), store) as (runner, watch):
        await watch.until(watch.turn_completed(0))
        for frame in speech():
            await runner.handle(AudioIn(frame))
        await watch.until(watch.turn_completed(2))
        await watch.until(lambda events: TranscriptUpdate("student", 1, "Je voudrais un café.", True) in events)
    turns = sorted(store.turns, key=lambda t: t.index)
    assert [(t.role, t.text) for t in turns] == [
        ("tutor", "Bonjour Ana !"),
        ("student", "Je voudrais un café."),
        ("tutor", "Un café, très bien."),
    ]
    assert (turns[0].audio_ms, turns[2].audio_ms) == (300, 400)  # every tutor chunk reached the runner
    sent = sum(len(base64.b64decode(e["audio"])) for e in fake.recordings[0].received_of("input_audio_buffer.append"))
    assert 750 * 48 <= sent <= 800 * 48  # 800 ms at 24 kHz, less what the resampler still holds
    assert store.ended == ("student", False)


async def test_barge_in_interrupts_and_truncates_to_the_audio_received(fake):
    fake.replies.append(Reply("Bonjour Ana, je suis Camille, votre serveuse.", audio_ms=1000, hold_at_ms=300))
    store = MemoryStore()
    async with running(provider_for(fake), store) as (runner, watch):
        recording = await _first_recording(fake)
        await fake.wait_for(lambda: fake_audio_deltas(recording) == 3)
        for frame in speech(200, 400):
            await runner.handle(AudioIn(frame))
        await watch.until(lambda events: Interrupted() in events)
        await runner.handle(PlaybackReport(turn=0, played_ms=5000))  # heard more than was ever sent
        await fake.wait_for(lambda: recording.sent_of("conversation.item.truncated"))
    truncate = recording.received_of("conversation.item.truncate")
    assert [(t["content_index"], t["audio_end_ms"]) for t in truncate] == [(0, 300)]
    assert truncate[0]["item_id"] == recording.sent_of("response.output_item.added")[0]["item"]["id"]
    assert recording.errors() == []
    cancelled = recording.sent_of("response.done")[0]["response"]
    assert cancelled["status_details"]["reason"] == "turn_detected"
    assert next(t for t in store.turns if t.index == 0).interrupted


async def test_a_cut_reply_is_stored_as_what_the_student_heard_and_the_next_session_is_told_that(fake):
    line = "Bonjour Ana, je suis Camille, votre serveuse aujourd'hui, et voici la carte du petit déjeuner."
    fake.replies.append(Reply(line, audio_ms=1000, hold_at_ms=600))
    store = MemoryStore()
    async with running(provider_for(fake), store) as (runner, watch):
        first = await _first_recording(fake)
        await fake.wait_for(lambda: fake_audio_deltas(first) == 6)
        for frame in speech(200, 0):
            await runner.handle(AudioIn(frame))
        await watch.until(lambda events: Interrupted() in events)
        await runner.handle(PlaybackReport(turn=0, played_ms=250))  # the browser reports as it stops playing
        for frame in speech(0, 400):
            await runner.handle(AudioIn(frame))
        await watch.until(watch.turn_completed(0))
        generated = first.sent_of("response.output_audio_transcript.done")[0]["transcript"]  # 600 ms of it
        await fake.wait_for(lambda: first.sent_of("conversation.item.truncated"))
        heard = heard_text(generated, 250, 600)
        await until(lambda: any(t.index == 0 and t.text == heard for t in store.turns))
        await fake.expire(first)  # the next connection starts from the stored turns
        await fake.wait_for(
            lambda: len(fake.recordings) == 2 and fake.recordings[1].received_of("conversation.item.create")
        )
    assert heard == "Bonjour Ana, je suis Camille," and generated.startswith(heard + " ")
    cut = next(t for t in store.turns if t.index == 0)
    assert cut.interrupted and cut.audio_ms == 250
    assert TranscriptUpdate("tutor", 0, heard, final=True) in watch.events  # the page and the teacher see it too
    told = fake.recordings[1].received_of("conversation.item.create")[0]["item"]
    assert told == {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": heard}]}


async def test_playback_report_truncates_to_what_was_heard_and_nothing_at_zero(fake):
    fake.replies.extend([Reply(audio_ms=1000, hold_at_ms=300), Reply(audio_ms=1000, hold_at_ms=300)])
    connection = await provider_for(fake).connect(lesson_setup())
    stream = connection.events()
    recording = fake.recordings[0]
    for held, heard in enumerate((120, 0), start=1):
        await fake.wait_for(lambda held=held: fake_audio_deltas(recording) == 3 * held)
        for frame in speech(200, 0):
            await connection.send_audio(frame)
        seen: list[ProviderEvent] = []
        await read_until(stream, SpeechStarted, seen)
        assert Interrupted() in seen
        await connection.playback_heard(heard)
        await read_until(stream, TurnComplete)  # the cancelled response
        for frame in speech(0, 400):  # the student stops: the next reply starts
            await connection.send_audio(frame)
    await read_until(stream, tutor_final)
    await connection.close()
    assert [t["audio_end_ms"] for t in recording.received_of("conversation.item.truncate")] == [120]
    assert recording.errors() == []


async def test_tool_call_is_answered_then_a_response_is_asked_for_and_the_correction_stored(fake):
    fake.replies.extend(
        [
            Reply("Bonjour ! Vous êtes allée où ?"),
            Reply("Je suis allée, très bien.", calls=(("note_correction", json.dumps(CORRECTION)),)),
            Reply("Et ensuite ?"),
        ]
    )
    store = MemoryStore()
    async with running(provider_for(fake), store) as (runner, watch):
        recording = await _first_recording(fake)
        await watch.until(watch.turn_completed(0))
        for frame in speech():
            await runner.handle(AudioIn(frame))
        await watch.until(lambda events: any(isinstance(e, CorrectionNoted) for e in events))
        await fake.wait_for(lambda: responses_done(recording) == 3)
    call_id = recording.sent_of("response.function_call_arguments.done")[0]["call_id"]
    after_call = [e for e in recording.received if e["type"] != "input_audio_buffer.append"]
    output_at = next(i for i, e in enumerate(after_call) if e.get("item", {}).get("type") == "function_call_output")
    output = after_call[output_at]["item"]
    assert output["call_id"] == call_id and json.loads(output["output"]) == {"ok": True}
    assert after_call[output_at + 1]["type"] == "response.create"
    assert recording.errors() == []
    assert len(store.notes_of(CorrectionNoted)) == 1
    note = store.notes_of(CorrectionNoted)[0]
    assert (note.original, note.corrected, note.category, note.turn) == (
        "je suis allé",
        "je suis allée",
        "grammar",
        1,
    )


async def test_tool_call_with_bad_json_gets_an_error_output_and_the_lesson_goes_on(fake):
    fake.replies.extend([Reply("", calls=(("note_correction", '{"original": "je'),)), Reply("Reprenons.")])
    connection = await provider_for(fake).connect(lesson_setup())
    stream = connection.events()
    seen: list[ProviderEvent] = []
    final = await read_until(stream, tutor_final, seen)
    await connection.close()
    assert final == TranscriptFinal("tutor", "Reprenons.")
    assert not any(isinstance(e, ToolCall | ProviderError) for e in seen)
    output = next(e for e in fake.recordings[0].received_of("conversation.item.create"))["item"]
    assert output["type"] == "function_call_output" and "error" in json.loads(output["output"])


async def test_active_response_conflict_is_not_fatal_and_the_typed_message_is_answered_after(fake):
    fake.replies.extend([Reply("Bonjour !", audio_ms=200), Reply("Un instant.", hold_at_ms=100), Reply("Voilà.")])
    connection = await provider_for(fake).connect(lesson_setup())
    stream = connection.events()
    recording = fake.recordings[0]
    await read_until(stream, TurnComplete)
    for frame in speech():  # turn detection starts a response that the client has not heard of yet
        await connection.send_audio(frame)
    await fake.wait_for(lambda: len(recording.sent_of("response.created")) == 2)
    await connection.send_text("Et un croissant ?")
    await fake.wait_for(lambda: recording.errors())
    fake.release()
    seen: list[ProviderEvent] = []
    await read_until(stream, TurnComplete, seen)
    final = await read_until(stream, tutor_final, seen)
    await connection.close()
    error = recording.errors()[0]
    rejected = recording.received_of("response.create")[-2]
    assert error["code"] == "conversation_already_has_active_response"
    assert error["event_id"] == rejected["event_id"]
    assert final == TranscriptFinal("tutor", "Voilà.")  # asked again once the running response ended
    assert not any(isinstance(e, ProviderError) for e in seen)


async def test_usage_is_recorded_by_modality_for_every_response(fake):
    fake.replies.extend([Reply("Bonjour !", audio_ms=300), Reply("Très bien.", audio_ms=400)])
    store = MemoryStore()
    async with running(provider_for(fake), store) as (runner, watch):
        recording = await _first_recording(fake)
        await watch.until(watch.turn_completed(0))
        for frame in speech():
            await runner.handle(AudioIn(frame))
        await watch.until(watch.turn_completed(2))
    reported = [e["response"]["usage"] for e in recording.sent_of("response.done")]
    live = [usage for usage, (_, purpose) in zip(store.usage, store.usage_sources, strict=True) if purpose == "live"]
    assert live == [token_usage(u) for u in reported]
    greeting, answer = live
    assert (greeting.audio_in, greeting.audio_out, greeting.cached_in) == (0, 6, 0)  # 300 ms at 20 tokens/s
    assert answer.audio_out == 8 and answer.audio_in == reported[1]["input_token_details"]["audio_tokens"] > 6
    assert answer.cached_in == greeting.text_in  # the prompt the first response read, now cached
    assert answer.text_in + answer.audio_in == reported[1]["input_tokens"]
    expected = (
        (answer.text_in - answer.cached_in) * 4 + answer.audio_in * 32 + answer.cached_in * 0.4
        + answer.text_out * 16 + answer.audio_out * 64
    ) / 1_000_000  # fmt: skip
    assert float(cost_usd(CATALOG.prices("gpt-realtime"), answer)) == pytest.approx(expected, abs=1e-6)


async def test_the_students_transcription_is_recorded_as_its_own_usage_by_its_model(fake):
    fake.replies.extend([Reply("Bonjour !", audio_ms=300), Reply("Très bien.", audio_ms=400)])
    store = MemoryStore()
    async with running(provider_for(fake, transcription_model="gpt-4o-transcribe"), store) as (runner, watch):
        recording = await _first_recording(fake)
        await watch.until(watch.turn_completed(0))
        for frame in speech():
            await runner.handle(AudioIn(frame))
        await watch.until(watch.turn_completed(2))
        await fake.wait_for(lambda: recording.sent_of("conversation.item.input_audio_transcription.completed"))
        await until(lambda: len(store.usage) == 3)
    [wire] = [e["usage"] for e in recording.sent_of("conversation.item.input_audio_transcription.completed")]
    rows = dict(zip(store.usage_sources, store.usage, strict=True))
    transcribed = rows[("gpt-4o-transcribe", "transcription")]
    assert (
        transcribed
        == transcription_usage(wire)
        == TokenUsage(audio_in=wire["input_tokens"], text_out=wire["output_tokens"])
    )
    assert transcribed.audio_in == wire["input_token_details"]["audio_tokens"] > 0
    assert [source for source in store.usage_sources if source != ("gpt-4o-transcribe", "transcription")] == [
        (None, "live"),
        (None, "live"),
    ]  # the responses, priced by the session's model


def test_transcription_usage_by_the_minute_is_its_seconds_priced_by_the_minute():
    seconds = transcription_usage({"type": "duration", "seconds": 2.4})  # gpt-transcribe, whisper-1, ...
    assert seconds == TokenUsage(audio_seconds=2.4)
    assert cost_usd(CATALOG.prices("gpt-transcribe"), seconds) == Decimal("0.000180")  # 2.4 s at $0.0045 a minute
    assert transcription_usage(None) is None
    assert transcription_usage({"type": "duration", "seconds": "two"}) is None
    assert transcription_usage({"type": "tokens", "input_tokens": 12, "output_tokens": 3}) == TokenUsage(
        audio_in=12, text_out=3
    )  # without details, the input is the student's audio


async def test_session_expiry_reconnects_with_the_persona_the_summary_and_the_recent_turns(fake):
    summary = "Ana ordered a coffee and asked what a croissant costs."
    fake.replies.extend([Reply("Bonjour Ana !"), Reply("Oui, bien sûr.")])
    store = MemoryStore(summary=summary)
    async with running(provider_for(fake), store) as (runner, watch):
        first = await _first_recording(fake)
        await watch.until(watch.turn_completed(0))
        await runner.handle(TextIn("Je voudrais un croissant."))
        await watch.until(watch.turn_completed(2))
        await until(lambda: len(store.turns) == 3)
        await fake.expire(first)
        await fake.wait_for(lambda: len(fake.recordings) == 2 and len(fake.recordings[1].received) >= 4)
        await watch.until(lambda events: events[-1] == StatusChanged("live"))
    assert (first.close_code, first.close_reason) == (1001, "Your session hit the maximum duration of 60 minutes.")
    assert StatusChanged("reconnecting") in watch.events
    second = fake.recordings[1]
    instructions = second.received_of("session.update")[0]["session"]["instructions"]
    assert summary in instructions and "Camille" in instructions
    assert [e["item"] for e in second.received_of("conversation.item.create")] == [
        {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Bonjour Ana !"}]},
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Je voudrais un croissant."}]},
        {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Oui, bien sûr."}]},
    ]
    assert second.received_of("response.create") == []  # carries on; no second greeting
    assert second.errors() == [] and store.ended == ("student", False)


async def test_warning_before_the_session_ends_reconnects_between_turns(fake):
    fake.session_seconds = 31  # expires_at is in whole seconds: 30 to 31 s are left, so the warning is due
    store = MemoryStore()
    provider = provider_for(fake, expiry_warning=30)
    async with running(provider, store) as (_runner, watch):
        await _first_recording(fake)
        fake.session_seconds = 3600  # only the first session is about to end
        await fake.wait_for(lambda: len(fake.recordings) >= 2 and fake.recordings[1].sent_of("session.updated"))
        await fake.wait_for(lambda: fake.recordings[0].closed)
    assert fake.recordings[0].close_code == 1000  # closed by the client, before the service's 1001
    assert StatusChanged("reconnecting") not in watch.events


# ---- typed text, pictures, the microphone and closes -------------------------------------------


async def test_typed_text_becomes_a_user_item_and_a_response(fake):
    fake.replies.extend([Reply("Bonjour !"), Reply("Un café ? Bien sûr.")])
    connection = await provider_for(fake).connect(lesson_setup())
    stream = connection.events()
    await read_until(stream, TurnComplete)
    await connection.send_text("Un café, s'il vous plaît.")
    final = await read_until(stream, tutor_final)
    await connection.close()
    recording = fake.recordings[0]
    item = recording.received_of("conversation.item.create")[0]["item"]
    assert item == {
        "type": "message",
        "role": "user",
        "content": [{"type": "input_text", "text": "Un café, s'il vous plaît."}],
    }
    assert final == TranscriptFinal("tutor", "Un café ? Bien sûr.")
    assert recording.errors() == []


async def test_picture_is_sent_as_an_input_image_and_answered(fake):
    picture = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
    fake.replies.extend([Reply("Bonjour !"), Reply("Un croissant, miam.")])
    connection = await provider_for(fake).connect(lesson_setup())
    stream = connection.events()
    await read_until(stream, TurnComplete)
    await connection.send_image(picture, "image/png")
    final = await read_until(stream, tutor_final)
    await connection.close()
    recording = fake.recordings[0]
    (part,) = recording.received_of("conversation.item.create")[0]["item"]["content"]
    assert part["type"] == "input_image"
    assert part["image_url"] == "data:image/png;base64," + base64.b64encode(picture).decode()
    assert final == TranscriptFinal("tutor", "Un croissant, miam.")
    assert recording.errors() == []


def frame(tag: bytes) -> bytes:
    return b"\xff\xd8\xff\xe0" + tag  # a JPEG's signature: the fake refuses anything else as image/jpeg


def student_parts(recording: Recording) -> list[dict]:
    """What the student's items in the conversation hold, in the conversation's order."""
    items = [event["item"] for event in recording.sent_of("conversation.item.added")]
    return [part for item in items if item.get("role") == "user" for part in item["content"]]


def image_urls(recording: Recording) -> list[str]:
    return [part["image_url"] for part in student_parts(recording) if part["type"] == "input_image"]


def jpeg_url(data: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(data).decode()


async def test_frames_are_held_and_only_the_newest_joins_the_conversation_before_the_students_speech(fake):
    fake.replies.extend([Reply("Bonjour !"), Reply("Oh, un chat !")])
    connection = await provider_for(fake).connect(lesson_setup())
    stream = connection.events()
    recording = fake.recordings[0]
    await read_until(stream, TurnComplete)
    for tag in (b"first", b"second", b"third"):
        await connection.send_video_frame(frame(tag), "image/jpeg")
    assert image_urls(recording) == []  # nothing sent yet: frames wait for the student's turn
    for chunk in speech(300, 0):
        await connection.send_audio(chunk)
    await read_until(stream, SpeechStarted)  # the service hears the student start, then they fall silent
    for chunk in speech(0, 500):
        await connection.send_audio(chunk)
    final = await read_until(stream, tutor_final)
    await fake.wait_for(lambda: responses_done(recording) == 2)
    await connection.close()

    assert final == TranscriptFinal("tutor", "Oh, un chat !")
    assert image_urls(recording) == [jpeg_url(frame(b"third"))]
    kinds = [part["type"] for part in student_parts(recording)]
    assert kinds == ["input_image", "input_audio"]  # the answer to the speech sees the frame
    assert len(recording.received_of("response.create")) == 1  # the greeting's; the frame asked for none
    assert recording.sent_of("response.done")[-1]["response"]["usage"]["input_token_details"]["image_tokens"] > 0
    assert recording.errors() == []


async def test_a_typed_message_brings_the_held_frame_and_a_picture_replaces_it(fake):
    fake.replies.extend([Reply("Bonjour !"), Reply("Je vois."), Reply("Une photo !"), Reply("Bien.")])
    connection = await provider_for(fake).connect(lesson_setup())
    stream = connection.events()
    recording = fake.recordings[0]
    await read_until(stream, TurnComplete)
    await connection.send_video_frame(frame(b"desk"), "image/jpeg")
    await connection.send_text("Regardez mon bureau.")
    await read_until(stream, tutor_final)
    await connection.send_video_frame(frame(b"stale"), "image/jpeg")
    await connection.send_image(frame(b"photo"), "image/jpeg")  # the student's own picture is newer
    await read_until(stream, tutor_final)
    await connection.send_text("Et voilà.")  # no frame held any more
    await read_until(stream, tutor_final)
    await connection.close()

    assert image_urls(recording) == [jpeg_url(frame(b"desk")), jpeg_url(frame(b"photo"))]
    kinds = [part["type"] for part in student_parts(recording)]
    assert kinds == ["input_image", "input_text", "input_image", "input_text"]  # each frame before its words
    assert recording.errors() == []


async def test_microphone_off_mid_sentence_commits_and_asks_for_the_answer(fake):
    fake.replies.extend([Reply("Bonjour !"), Reply("Je vous écoute.")])
    connection = await provider_for(fake).connect(lesson_setup())
    stream = connection.events()
    recording = fake.recordings[0]
    await read_until(stream, TurnComplete)
    await connection.end_audio_stream()  # nothing said: nothing to commit
    for frame in speech(300, 0):
        await connection.send_audio(frame)
    await read_until(stream, SpeechStarted)
    await connection.end_audio_stream()
    final = await read_until(stream, tutor_final)
    await connection.close()
    assert final == TranscriptFinal("tutor", "Je vous écoute.")
    assert len(recording.received_of("input_audio_buffer.commit")) == 1
    assert recording.errors() == []


@pytest.mark.parametrize(
    ("code", "reason", "expected", "retryable"),
    [
        (1001, "Your session hit the maximum duration of 60 minutes.", "session_expired", True),
        (1011, "internal error", "connection_lost", True),
        (4000, "beta_api_shape_disabled", "rejected", False),
    ],
)
async def test_a_close_from_the_service_ends_events_with_an_error_saying_whether_to_retry(
    fake, code, reason, expected, retryable
):
    connection = await provider_for(fake).connect(lesson_setup())
    await fake.close(fake.recordings[0], code, reason)
    seen: list[ProviderEvent] = []
    async with asyncio.timeout(HANG):
        seen = [event async for event in connection.events()]
    error = seen[-1]
    assert isinstance(error, ProviderError) and (error.code, error.retryable) == (expected, retryable)
    assert reason in error.message
    assert not any(isinstance(e, ProviderError) for e in seen[:-1])


async def test_a_malformed_event_is_skipped_and_the_lesson_goes_on(fake):
    fake.replies.extend([Reply("Bonjour !"), Reply("Je vous écoute.")])
    connection = await provider_for(fake).connect(lesson_setup())
    stream = connection.events()
    await read_until(stream, TurnComplete)
    await fake.inject(fake.recordings[0], "response.output_audio.delta", delta="AAAA")  # no item_id
    await connection.send_text("Allô ?")
    seen: list[ProviderEvent] = []
    final = await read_until(stream, tutor_final, seen)
    await connection.close()
    assert final == TranscriptFinal("tutor", "Je vous écoute.")
    assert not any(isinstance(e, ProviderError) for e in seen)


async def test_close_by_the_client_ends_events_quietly(fake):
    connection = await provider_for(fake).connect(lesson_setup())
    await connection.close()
    async with asyncio.timeout(HANG):
        seen = [event async for event in connection.events()]
    assert not any(isinstance(e, ProviderError) for e in seen)


async def _first_recording(fake: FakeRealtimeServer) -> Recording:
    await fake.wait_for(lambda: bool(fake.recordings))
    return fake.recordings[0]


# ---- the app's turns (turn detection off) --------------------------------------------------------


async def test_the_app_s_turn_is_committed_and_answered_only_at_its_end(fake):
    fake.transcripts.append("Je voudrais un café")
    connection = await provider_for(fake, turn_detection="app").connect(
        lesson_setup(context=RestoredContext(summary="x"))
    )
    stream = connection.events()
    recording = fake.recordings[0]
    assert recording.received_of("session.update")[0]["session"]["audio"]["input"]["turn_detection"] is None
    for frame in speech(0, 200):  # before the app heard a turn begin: held, and its end goes with the turn
        await connection.send_audio(frame)
    assert not recording.received_of("input_audio_buffer.append")
    await connection.activity_start(interrupting=False)
    for frame in speech(600, 1500):  # a long pause: the app, not the service, decides when the turn is over
        await connection.send_audio(frame)
    assert not recording.received_of("response.create")
    await connection.activity_end()
    await read_until(stream, tutor_final)
    await connection.close()
    sent = [e["type"] for e in recording.received if e["type"] != "input_audio_buffer.append"]
    assert sent[-2:] == ["input_audio_buffer.commit", "response.create"]
    assert recording.errors() == []


async def test_an_app_s_turn_ended_with_nothing_appended_commits_nothing(fake):
    connection = await provider_for(fake, turn_detection="app").connect(
        lesson_setup(context=RestoredContext(summary="x"))
    )
    await connection.activity_start(interrupting=False)
    await connection.activity_end()
    await connection.send_text("Bonjour")  # something the service answers, to know it has read the rest
    await read_until(connection.events(), tutor_final)
    await connection.close()
    assert not fake.recordings[0].received_of("input_audio_buffer.commit")


async def test_an_interrupting_app_s_turn_cancels_the_response_and_truncates_to_what_was_heard(fake):
    fake.replies.append(Reply("Bonjour Ana, je suis Camille, votre serveuse.", audio_ms=1000, hold_at_ms=300))
    connection = await provider_for(fake, turn_detection="app").connect(lesson_setup())
    stream = connection.events()
    recording = fake.recordings[0]
    await fake.wait_for(lambda: fake_audio_deltas(recording) == 3)
    await read_until(stream, AudioOut)
    await connection.activity_start(interrupting=True)
    await read_until(stream, TurnComplete)  # the cancelled response
    await connection.playback_heard(60)  # the page says what was heard as it stops playing
    await fake.wait_for(lambda: recording.sent_of("conversation.item.truncated"))
    await connection.close()
    assert recording.received_of("response.cancel")
    assert recording.sent_of("response.done")[0]["response"]["status"] == "cancelled"
    assert [t["audio_end_ms"] for t in recording.received_of("conversation.item.truncate")] == [60]
    assert recording.errors() == []
