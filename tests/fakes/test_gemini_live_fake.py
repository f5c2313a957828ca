"""The fake Gemini Live service refuses what the real one refuses, by closing with the real codes.

A raw websockets client sends what the SDK never would (a missing setup, a bad mime type, broken base64).
"""

import asyncio
import base64
import json
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from .gemini_live import SPOKEN_RESULT, Exchange, FakeGeminiLive, FakeLiveOptions
from .sound import tone
from .tls import TestCertificate, make_certificate

PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"
SETUP = {"model": "models/gemini-3.8-live", "generationConfig": {"responseModalities": ["AUDIO"]}}


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> TestCertificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
async def fake(certificate):
    async with FakeGeminiLive(certificate, FakeLiveOptions(silence_ms=200)) as server:
        yield server


def dial(fake: FakeGeminiLive, *, key: str | None = "test-key", path: str = PATH) -> Any:
    headers = {"x-goog-api-key": key} if key else {}
    uri = fake.url.replace("https", "wss") + path
    return connect(uri, ssl=fake.certificate.client_context(), additional_headers=headers, compression=None)


async def opened(ws: ClientConnection, setup: dict[str, Any] = SETUP) -> dict[str, Any]:
    await ws.send(json.dumps({"setup": setup}))
    reply = await ws.recv()
    assert isinstance(reply, bytes), "the service sends binary frames"
    return json.loads(reply)


async def close_of(ws: ClientConnection) -> tuple[int, str]:
    """Reads until the fake closes; returns its close code and reason."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), 5)
    except ConnectionClosed as closed:
        assert closed.rcvd is not None, "closed without a close frame"
        return closed.rcvd.code, closed.rcvd.reason


def audio(pcm: bytes, mime: str = "audio/pcm;rate=16000", *, urlsafe: bool = True) -> str:
    encode = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    return json.dumps({"realtime_input": {"audio": {"data": encode(pcm).decode(), "mime_type": mime}}})


async def test_a_good_setup_in_either_casing_gets_setup_complete(fake):
    snake = {"model": "models/gemini-3.8-live", "generation_config": {"response_modalities": ["AUDIO"]}}
    for setup in (SETUP, snake):
        async with dial(fake) as ws:
            assert await opened(ws, setup) == {"setupComplete": {}}


async def test_the_key_is_also_taken_from_the_query_string(fake):
    async with dial(fake, key=None, path=PATH + "?key=test-key") as ws:
        assert await opened(ws) == {"setupComplete": {}}


async def test_missing_setup_is_refused_with_1007(fake):
    async with dial(fake) as ws:
        await ws.send(audio(tone(40, 16_000)))
        code, reason = await close_of(ws)
    assert code == 1007 and "setup" in reason


@pytest.mark.parametrize("key", ["wrong-key", None])
async def test_a_bad_or_missing_key_is_refused_with_1008(fake, key):
    async with dial(fake, key=key) as ws:
        await ws.send(json.dumps({"setup": SETUP}))
        assert await close_of(ws) == (1008, "API key not valid. Please pass a valid API key.")


async def test_an_unknown_model_is_refused_with_1008(fake):
    async with dial(fake) as ws:
        await ws.send(json.dumps({"setup": {**SETUP, "model": "models/gemini-0-live"}}))
        code, reason = await close_of(ws)
    assert code == 1008 and "models/gemini-0-live is not found" in reason


@pytest.mark.parametrize(
    "setup",
    [
        {**SETUP, "unknownField": {}},
        {**SETUP, "generationConfig": {"responseModalities": ["TEXT"]}},
        {**SETUP, "generationConfig": {"responseModalities": ["AUDIO"], "thinkingConfig": {"thinkingBudget": 0}}},
        {**SETUP, "generationConfig": {"responseModalities": ["AUDIO"], "enableAffectiveDialog": True}},
        {
            **SETUP,
            "generationConfig": {
                "responseModalities": ["AUDIO"],
                "speechConfig": {"voiceConfig": {"prebuiltVoiceConfig": {"voiceName": "Nova"}}},
            },
        },
        {**SETUP, "inputAudioTranscription": {"mode": "LITERAL"}},
        {**SETUP, "inputAudioTranscription": {"languageCodes": ["French"]}},
        {**SETUP, "contextWindowCompression": {"triggerTokens": 1000}},
        {**SETUP, "tools": [{"functionDeclarations": [{"name": "f", "parameters": {"type": "object"}}]}]},
        {**SETUP, "sessionResumption": {"handle": "never-issued"}},
    ],
    ids=[
        "unknown-field",
        "text-modality",
        "thinking-on-3.8",
        "affective-dialog-on-3.8",
        "unknown-voice",
        "bad-transcription-mode",
        "bad-language-code",
        "compression-without-window",
        "json-schema-lowercase-type",
        "unknown-handle",
    ],
)
async def test_setups_the_service_refuses_are_closed_with_1007(fake, setup):
    async with dial(fake) as ws:
        await ws.send(json.dumps({"setup": setup}))
        code, _ = await close_of(ws)
    assert code == 1007


@pytest.mark.parametrize(
    "message",
    [
        audio(tone(40, 16_000), "audio/wav"),
        audio(tone(40, 16_000), "audio/pcm;rate=44100"),
        json.dumps({"realtime_input": {"audio": {"data": "not base64!", "mime_type": "audio/pcm;rate=16000"}}}),
        json.dumps({"realtime_input": {"video": {"data": "AAAA", "mime_type": "video/mp4"}}}),
        json.dumps({"realtime_input": {"video": {"data": "iVBORw0KGgo=", "mime_type": "image/jpeg"}}}),
        json.dumps({"realtime_input": {"text": "a", "audioStreamEnd": True}}),
        json.dumps({"realtime_input": {"activityStart": {}}}),
        json.dumps({"tool_response": {"functionResponses": [{"id": "fc-404", "name": "f", "response": {}}]}}),
        json.dumps({"setup": SETUP}),
        "{not json",
    ],
    ids=[
        "wav-mime",
        "wrong-rate",
        "invalid-base64",
        "video-mime",
        "png-labelled-jpeg",
        "two-fields",
        "activity-with-auto-vad",
        "unknown-tool-call-id",
        "second-setup",
        "not-json",
    ],
)
async def test_messages_the_service_refuses_are_closed_with_1007(fake, message):
    async with dial(fake) as ws:
        await opened(ws)
        await ws.send(message)
        code, _ = await close_of(ws)
    assert code == 1007


async def test_both_base64_alphabets_decode_to_the_same_audio(fake):
    pcm = bytes(range(256)) * 4  # every byte value, so '+/' and '-_' both appear
    async with dial(fake) as ws:
        await opened(ws)
        await ws.send(audio(pcm, urlsafe=True))
        await ws.send(audio(pcm, urlsafe=False))
        await ws.close()
    await asyncio.wait_for(fake.connections[0].done.wait(), 5)
    assert [r.data for r in fake.connections[0].of_kind("audio")] == [pcm, pcm]


async def test_an_unknown_path_gets_http_404(fake):
    with pytest.raises(InvalidStatus) as failure:
        async with dial(fake, path="/ws/google.ai.generativelanguage.v2.GenerativeService.BidiGenerateContent"):
            pass
    assert failure.value.response.status_code == 404


async def test_speech_gets_transcripts_then_an_answer_in_order_as_camel_case_binary_frames(fake):
    async with dial(fake) as ws:
        await opened(ws, {**SETUP, "sessionResumption": {}})
        await ws.send(audio(tone(600, 16_000) + bytes(16_000)))
        messages = []
        while "sessionResumptionUpdate" not in (messages or [{}])[-1]:
            messages.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))

    content = [next(iter(m.get("serverContent", {"-": 0}))) for m in messages]
    assert content[0] == "inputTranscription" and messages[-2]["usageMetadata"]["responseTokenCount"] > 0
    assert content[-3:] == ["generationComplete", "turnComplete", "-"]
    assert messages[-1]["sessionResumptionUpdate"]["resumable"] is True
    assert {"modelTurn", "outputTranscription"} <= set(content)
    assert content.index("modelTurn") > max(i for i, c in enumerate(content) if c == "inputTranscription")


async def test_goaway_comes_before_the_connection_cap_then_the_service_closes_with_1011(certificate):
    options = FakeLiveOptions(connection_seconds=0.6, goaway_notice=0.3)
    async with FakeGeminiLive(certificate, options) as fake, dial(fake) as ws:
        await opened(ws)
        assert json.loads(await asyncio.wait_for(ws.recv(), 5)) == {"goAway": {"timeLeft": "0.3s"}}
        assert (await close_of(ws))[0] == 1011


async def test_gemini_31_refuses_client_content_once_realtime_input_flowed(fake):
    async with dial(fake) as ws:
        await opened(ws, {**SETUP, "model": "models/gemini-3.1-flash-live-preview"})
        await ws.send(audio(bytes(640)))
        await ws.send(json.dumps({"client_content": {"turns": [{"role": "user", "parts": [{"text": "hi"}]}]}}))
        code, _ = await close_of(ws)
    assert code == 1007


async def test_client_content_with_turn_complete_gets_an_answer_on_models_that_take_it(fake):
    async with dial(fake) as ws:
        await opened(ws)
        turn = {"turns": [{"role": "user", "parts": [{"text": "Bonjour"}]}], "turnComplete": True}
        await ws.send(json.dumps({"client_content": turn}))
        messages = [json.loads(await asyncio.wait_for(ws.recv(), 5))]
        while "turnComplete" not in messages[-1].get("serverContent", {}):
            messages.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
    assert any("modelTurn" in m.get("serverContent", {}) for m in messages)


# ---- what differs between models: the speech language, blocking and non-blocking calls --------------


def speech_config(model: str, language: str) -> dict[str, Any]:
    config = {"responseModalities": ["AUDIO"], "speechConfig": {"languageCode": language}}
    return {"model": f"models/{model}", "generationConfig": config}


async def test_only_a_half_cascade_model_takes_a_speech_language_code(fake):
    async with dial(fake) as ws:
        await ws.send(json.dumps({"setup": speech_config("gemini-3.8-live", "fr-FR")}))
        code, reason = await close_of(ws)
    assert code == 1007 and "language_code" in reason
    async with dial(fake) as ws:
        assert await opened(ws, speech_config("gemini-live-2.5-flash", "fr-FR")) == {"setupComplete": {}}
    assert fake.connections[1].setup.language_code == "fr-FR"


def with_note(model: str = "gemini-3.8-live", behavior: str | None = None) -> dict[str, Any]:
    declaration = {"name": "note", "parameters": {"type": "OBJECT"}} | ({"behavior": behavior} if behavior else {})
    return {**SETUP, "model": f"models/{model}", "tools": [{"functionDeclarations": [declaration]}]}


@pytest.mark.parametrize(
    "setup",
    [with_note("gemini-3.1-flash-live-preview", "NON_BLOCKING"), with_note(behavior="SOMETIMES")],
    ids=["non-blocking-on-3.1", "unknown-behavior"],
)
async def test_behaviors_a_model_does_not_have_are_closed_with_1007(fake, setup):
    async with dial(fake) as ws:
        await ws.send(json.dumps({"setup": setup}))
        assert (await close_of(ws))[0] == 1007


@pytest.fixture
async def noting(certificate):
    """A fake whose model calls `note` before it answers 'Bien.'."""
    options = FakeLiveOptions(script=(Exchange("Bonjour", "Bien.", tool=("note", {})),))
    async with FakeGeminiLive(certificate, options) as server:
        yield server


async def said_until_turn_complete(ws: ClientConnection) -> str:
    """The tutor's words up to the end of its turn."""
    words = []
    while True:
        content = json.loads(await asyncio.wait_for(ws.recv(), 5)).get("serverContent", {})
        words.append(content.get("outputTranscription", {}).get("text", ""))
        if content.get("turnComplete"):
            return "".join(words)


def answer(call_id: str, scheduling: str) -> str:
    response = {"id": call_id, "name": "note", "response": {"ok": True}, "scheduling": scheduling}
    return json.dumps({"tool_response": {"functionResponses": [response]}})


@pytest.mark.parametrize(
    ("setup", "blocking"),
    [
        (with_note(behavior="BLOCKING"), True),
        (with_note("gemini-2.5-flash-native-audio-preview-12-2025"), True),  # 2.5 blocks unless told otherwise
        (with_note(), False),  # 3.8 does not
        (with_note("gemini-2.5-flash-native-audio-preview-12-2025", "NON_BLOCKING"), False),
    ],
    ids=["declared-blocking", "2.5-default", "3.8-default", "2.5-non-blocking"],
)
async def test_a_blocking_call_holds_the_answer_and_ignores_silent_but_a_non_blocking_one_does_not(
    noting, setup, blocking
):
    async with dial(noting) as ws:
        await opened(ws, setup)
        await ws.send(json.dumps({"realtime_input": {"text": "Bonjour"}}))
        call = json.loads(await asyncio.wait_for(ws.recv(), 5))["toolCall"]["functionCalls"][0]
        if blocking:  # nothing comes until the call is answered; then the model goes on from its result
            await ws.send(answer(call["id"], "SILENT"))
            assert await said_until_turn_complete(ws) == f"{SPOKEN_RESULT} Bien."
        else:  # the answer goes on meanwhile, and a SILENT result is never spoken about
            assert await said_until_turn_complete(ws) == "Bien."
            await ws.send(answer(call["id"], "SILENT"))
            await ws.send(json.dumps({"realtime_input": {"text": "Bonjour"}}))
            assert "toolCall" in json.loads(await asyncio.wait_for(ws.recv(), 5))  # the next exchange, nothing else
    assert noting.connections[0].setup.blocking == (frozenset({"note"}) if blocking else frozenset())


async def test_a_non_blocking_result_scheduled_when_idle_is_spoken_about_after_the_answer(noting):
    async with dial(noting) as ws:
        await opened(ws, with_note())
        await ws.send(json.dumps({"realtime_input": {"text": "Bonjour"}}))
        call = json.loads(await asyncio.wait_for(ws.recv(), 5))["toolCall"]["functionCalls"][0]
        assert await said_until_turn_complete(ws) == "Bien."
        await ws.send(answer(call["id"], "WHEN_IDLE"))
        assert await said_until_turn_complete(ws) == SPOKEN_RESULT


async def test_a_response_with_an_unknown_scheduling_is_closed_with_1007(noting):
    async with dial(noting) as ws:
        await opened(ws, with_note())
        await ws.send(json.dumps({"realtime_input": {"text": "Bonjour"}}))
        call = json.loads(await asyncio.wait_for(ws.recv(), 5))["toolCall"]["functionCalls"][0]
        await ws.send(answer(call["id"], "LATER"))
        assert (await close_of(ws))[0] == 1007


async def test_the_last_words_of_a_transcript_can_come_after_the_answer_began(certificate):
    async with FakeGeminiLive(certificate, FakeLiveOptions(silence_ms=200, late_words=2)) as fake, dial(fake) as ws:
        await opened(ws)
        await ws.send(audio(tone(600, 16_000) + bytes(16_000)))
        messages = [json.loads(await asyncio.wait_for(ws.recv(), 5))]
        while "turnComplete" not in messages[-1].get("serverContent", {}):
            messages.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
    first_audio = next(i for i, m in enumerate(messages) if "modelTurn" in m.get("serverContent", {}))
    heard = [
        (i, m["serverContent"]["inputTranscription"])
        for i, m in enumerate(messages)
        if "inputTranscription" in m.get("serverContent", {})
    ]
    assert [i > first_audio for i, _ in heard][-3:] == [False, True, True]  # the last two words
    assert "".join(h["text"] for _, h in heard) == fake.options.script[0].heard and heard[-1][1].get("finished")


# ---- manual activity (automatic activity detection disabled) --------------------------------------

MANUAL = {**SETUP, "realtimeInputConfig": {"automaticActivityDetection": {"disabled": True}}}


async def next_messages(ws: ClientConnection, *, until: str) -> list[dict[str, Any]]:
    messages = [json.loads(await asyncio.wait_for(ws.recv(), 5))]
    while until not in messages[-1].get("serverContent", {}):
        messages.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
    return messages


async def test_with_detection_disabled_speech_and_silence_alone_get_no_answer(fake):
    """The Live API: with automatic activity detection disabled the client marks each turn; audio outside an
    activityStart/activityEnd pair is not a turn, however loud and however long the silence after it."""
    async with dial(fake) as ws:
        await opened(ws, MANUAL)
        await ws.send(audio(tone(600, 16_000) + bytes(32_000)))
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(ws.recv(), 0.5)  # nothing comes: there is no turn to answer
    assert fake.connections[0].of_kind("audio")


async def test_with_detection_disabled_the_answer_comes_only_after_activity_end(fake):
    async with dial(fake) as ws:
        await opened(ws, MANUAL)
        await ws.send(json.dumps({"realtimeInput": {"activityStart": {}}}))
        await ws.send(audio(tone(600, 16_000) + bytes(32_000)))  # two seconds of silence end nothing
        transcript = await next_messages(ws, until="inputTranscription")
        assert all("modelTurn" not in m.get("serverContent", {}) for m in transcript)
        await ws.send(json.dumps({"realtimeInput": {"activityEnd": {}}}))
        answer = await next_messages(ws, until="turnComplete")
    assert any("modelTurn" in m.get("serverContent", {}) for m in answer)
    kinds = [r.kind for r in fake.connections[0].received]
    assert kinds.index("activity_start") < kinds.index("audio") < kinds.index("activity_end")


async def test_with_detection_disabled_activity_start_interrupts_the_answer_under_way(certificate):
    async with FakeGeminiLive(certificate, FakeLiveOptions(pace=1.0)) as fake, dial(fake) as ws:  # speaks slowly
        await opened(ws, MANUAL)
        await ws.send(json.dumps({"realtimeInput": {"activityStart": {}}}))
        await ws.send(audio(tone(600, 16_000)))
        await ws.send(json.dumps({"realtimeInput": {"activityEnd": {}}}))
        await next_messages(ws, until="modelTurn")
        await ws.send(json.dumps({"realtimeInput": {"activityStart": {}}}))
        rest = await next_messages(ws, until="interrupted")
    assert rest[-1]["serverContent"] == {"interrupted": True}


@pytest.mark.parametrize("signal", ["activityStart", "activityEnd"])
async def test_activity_signals_are_refused_while_automatic_detection_is_on(fake, signal):
    async with dial(fake) as ws:
        await opened(ws)
        await ws.send(json.dumps({"realtimeInput": {signal: {}}}))
        code, reason = await close_of(ws)
    assert code == 1007 and "automatic activity detection disabled" in reason
