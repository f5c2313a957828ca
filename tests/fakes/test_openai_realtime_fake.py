"""The fake Realtime service refuses what the real one refuses and sends what it sends (reference §8).

Driven with raw websockets, not the product's client, so a bug in one cannot hide a bug in the other.
"""

import asyncio
import base64
import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from .openai_realtime import FakeRealtimeServer, Reply, tone
from .openai_realtime_schema import VOICES

PCM = {"type": "audio/pcm", "rate": 24000}
SERVER_VAD = {"type": "server_vad", "threshold": 0.5, "prefix_padding_ms": 100, "silence_duration_ms": 200}
HANG = 5  # seconds; only against hangs


@pytest.fixture
async def fake():
    async with FakeRealtimeServer() as server:
        yield server


async def dial(fake: FakeRealtimeServer, **headers: str) -> ClientConnection:
    url = f"ws://127.0.0.1:{fake.port}/v1/realtime?model=gpt-realtime"
    return await connect(url, additional_headers={"Authorization": "Bearer sk-test", **headers})


async def send(ws: ClientConnection, event_id: str | None = None, **event: Any) -> None:
    await ws.send(json.dumps({**event, **({"event_id": event_id} if event_id else {})}))


async def until(ws: ClientConnection, kind: str, seen: list[dict] | None = None) -> dict:
    async with asyncio.timeout(HANG):
        while True:
            event = json.loads(await ws.recv())
            if seen is not None:
                seen.append(event)
            if event["type"] == kind:
                return event


async def configured(fake: FakeRealtimeServer, **session: Any) -> ClientConnection:
    ws = await dial(fake)
    await until(ws, "session.created")
    await send(ws, type="session.update", session={"type": "realtime", **session})
    await until(ws, "session.updated")
    return ws


def b64(pcm: bytes) -> str:
    return base64.b64encode(pcm).decode()


async def speak(ws: ClientConnection, *, speech_ms: int = 300, silence_ms: int = 400) -> None:
    for pcm in (tone(speech_ms), bytes(silence_ms * 48)):
        await send(ws, type="input_audio_buffer.append", audio=b64(pcm))


# ---- handshake ---------------------------------------------------------------------------------


async def test_no_key_and_a_wrong_key_get_http_401(fake):
    url = f"ws://127.0.0.1:{fake.port}/v1/realtime?model=gpt-realtime"
    for headers in ({}, {"Authorization": "Bearer sk-wrong-key"}):
        with pytest.raises(InvalidStatus) as refused:
            await connect(url, additional_headers=headers)
        assert refused.value.response.status_code == 401
    body = json.loads(refused.value.response.body)
    assert body["error"]["code"] == "invalid_api_key"
    assert [h.status for h in fake.handshakes] == [401, 401]
    assert fake.recordings == []


async def test_an_azure_resource_takes_its_key_as_an_api_key_header_and_refuses_it_as_bearer():
    async with FakeRealtimeServer(auth="api-key") as azure:
        url = f"ws://127.0.0.1:{azure.port}/v1/realtime?model=my-deployment"
        refusals = []
        for headers in ({"Authorization": "Bearer sk-test"}, {"api-key": "sk-wrong"}, {}):
            with pytest.raises(InvalidStatus) as refused:
                await connect(url, additional_headers=headers)
            refusals.append((refused.value.response.status_code, json.loads(refused.value.response.body)))
        ws = await connect(url, additional_headers={"api-key": "sk-test"})
        assert (await until(ws, "session.created"))["session"]["id"].startswith("sess_")
        await ws.close()
    assert [status for status, _ in refusals] == [401, 401, 401]
    assert "Access token is missing" in refusals[0][1]["error"]["message"]
    assert all("invalid subscription key" in body["error"]["message"] for _, body in refusals[1:])
    assert [h.status for h in azure.handshakes] == [401, 401, 401, 101]


async def test_openai_knows_no_api_key_header(fake):
    url = f"ws://127.0.0.1:{fake.port}/v1/realtime?model=gpt-realtime"
    with pytest.raises(InvalidStatus) as refused:
        await connect(url, additional_headers={"api-key": "sk-test"})
    assert refused.value.response.status_code == 401
    assert "You didn't provide an API key" in json.loads(refused.value.response.body)["error"]["message"]


async def test_beta_header_gets_beta_api_shape_disabled_then_close_4000(fake):
    ws = await dial(fake, **{"OpenAI-Beta": "realtime=v1"})
    error = await until(ws, "error")
    assert error["error"]["code"] == "beta_api_shape_disabled"
    with pytest.raises(ConnectionClosed):
        await ws.recv()
    assert ws.close_code == 4000


async def test_key_in_subprotocol_is_accepted_and_realtime_is_echoed(fake):
    url = f"ws://127.0.0.1:{fake.port}/v1/realtime?model=gpt-realtime"
    ws = await connect(url, subprotocols=["realtime", "openai-insecure-api-key.sk-test"])
    assert ws.subprotocol == "realtime"
    assert (await until(ws, "session.created"))["session"]["id"].startswith("sess_")
    await ws.close()


# ---- session.update ----------------------------------------------------------------------------


async def test_session_created_comes_first_and_an_update_is_merged_into_the_full_config(fake):
    ws = await dial(fake)
    first = json.loads(await ws.recv())
    assert first["type"] == "session.created" and first["event_id"].startswith("event_")
    update = {"type": "realtime", "instructions": "Be Camille.", "audio": {"output": {"voice": "cedar"}}}
    await send(ws, type="session.update", session=update)
    session = (await until(ws, "session.updated"))["session"]
    assert session["instructions"] == "Be Camille."
    assert session["audio"]["output"] == {"format": PCM, "voice": "cedar", "speed": 1.0}
    assert session["audio"]["input"]["format"] == PCM  # untouched fields stay
    assert session["audio"]["input"]["turn_detection"]["type"] == "server_vad"


async def test_session_update_without_type_is_refused_with_the_event_id(fake):
    ws = await dial(fake)
    await send(ws, "evt_1", type="session.update", session={"instructions": "hi"})
    error = (await until(ws, "error"))["error"]
    assert (error["code"], error["param"], error["event_id"]) == (
        "missing_required_parameter",
        "session.type",
        "evt_1",
    )


@pytest.mark.parametrize(
    "flat",
    [
        {"voice": "marin"},
        {"modalities": ["audio", "text"]},
        {"input_audio_format": "pcm16"},
        {"turn_detection": {"type": "server_vad"}},
        {"input_audio_transcription": {"model": "whisper-1"}},
        {"temperature": 0.8},
    ],
)
async def test_flat_beta_session_fields_are_unknown_parameters(fake, flat):
    ws = await dial(fake)
    await send(ws, "evt_beta", type="session.update", session={"type": "realtime", **flat})
    error = (await until(ws, "error"))["error"]
    assert error["code"] == "unknown_parameter"
    assert error["param"] == f"session.{next(iter(flat))}"
    assert error["event_id"] == "evt_beta"


async def test_invalid_voice_is_refused_listing_the_supported_ones(fake):
    ws = await dial(fake)
    await send(ws, "evt_v", type="session.update", session={"type": "realtime", "audio": {"output": {"voice": "nova"}}})
    error = (await until(ws, "error"))["error"]
    assert error["code"] == "invalid_value" and error["event_id"] == "evt_v"
    assert "'nova'" in error["message"] and all(f"'{voice}'" in error["message"] for voice in VOICES)


async def test_string_audio_format_missing_rate_and_wrong_rate_are_refused(fake):
    ws = await dial(fake)
    cases = {
        "evt_string": ("pcm16", "invalid_type"),
        "evt_norate": ({"type": "audio/pcm"}, "missing_required_parameter"),
        "evt_16k": ({"type": "audio/pcm", "rate": 16000}, "invalid_value"),
    }
    for event_id, (fmt, _) in cases.items():
        session = {"type": "realtime", "audio": {"input": {"format": fmt}}}
        await send(ws, event_id, type="session.update", session=session)
    for event_id, (_, code) in cases.items():
        error = (await until(ws, "error"))["error"]
        assert (error["event_id"], error["code"]) == (event_id, code)


async def test_transcription_language_must_be_iso_639_1(fake):
    ws = await dial(fake)
    transcription = {"model": "gpt-4o-mini-transcribe", "language": "fr-FR"}
    await send(
        ws,
        "evt_l",
        type="session.update",
        session={"type": "realtime", "audio": {"input": {"transcription": transcription}}},
    )
    error = (await until(ws, "error"))["error"]
    assert error["param"] == "session.audio.input.transcription.language" and "ISO-639-1" in error["message"]


async def test_tools_in_the_chat_completions_shape_are_refused(fake):
    ws = await dial(fake)
    nested = {"type": "function", "function": {"name": "note", "parameters": {"type": "object"}}}
    await send(ws, "evt_t", type="session.update", session={"type": "realtime", "tools": [nested]})
    error = (await until(ws, "error"))["error"]
    assert (error["code"], error["param"]) == ("unknown_parameter", "session.tools[0].function")


# ---- other client events -----------------------------------------------------------------------


async def test_unknown_event_type_is_an_invalid_value_and_the_socket_stays_open(fake):
    ws = await configured(fake)
    await send(ws, "evt_u", type="response.audio.delta")
    error = (await until(ws, "error"))["error"]
    assert (error["code"], error["param"], error["event_id"]) == ("invalid_value", "type", "evt_u")
    await send(ws, "evt_ok", type="input_audio_buffer.clear")
    assert (await until(ws, "input_audio_buffer.cleared"))["type"] == "input_audio_buffer.cleared"


async def test_commit_of_less_than_100_ms_is_refused(fake):
    ws = await configured(fake, audio={"input": {"turn_detection": None}})
    await send(ws, type="input_audio_buffer.append", audio=b64(bytes(50 * 48)))
    await send(ws, "evt_c", type="input_audio_buffer.commit")
    error = (await until(ws, "error"))["error"]
    assert (error["code"], error["event_id"]) == ("input_audio_buffer_commit_empty", "evt_c")
    assert "buffer only has 50.00ms of audio" in error["message"]


async def test_with_turn_detection_off_no_response_comes_before_response_create(fake):
    """turn_detection null: speech and silence start nothing, a commit makes an item but no response; the
    client asks for it (response.create), as the reference says of manual turns."""
    ws = await configured(fake, audio={"input": {"turn_detection": None}})
    await speak(ws, speech_ms=600, silence_ms=1500)
    await send(ws, type="input_audio_buffer.commit")
    seen: list[dict] = []
    await until(ws, "conversation.item.done", seen)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.5):
            await until(ws, "response.created", seen)
    assert [e["type"] for e in seen][:1] == ["input_audio_buffer.committed"]
    assert not any(e["type"].startswith("input_audio_buffer.speech") for e in seen)
    await send(ws, type="response.create")
    assert (await until(ws, "response.done"))["response"]["status"] == "completed"


async def test_assistant_items_take_output_text_and_users_cannot_send_beta_text(fake):
    ws = await configured(fake)
    beta = {"type": "message", "role": "assistant", "content": [{"type": "text", "text": "Bonjour"}]}
    await send(ws, "evt_beta", type="conversation.item.create", item=beta)
    error = (await until(ws, "error"))["error"]
    assert (error["code"], error["param"]) == ("invalid_value", "item.content[0].type")
    ga = {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Bonjour"}]}
    await send(ws, "evt_ga", type="conversation.item.create", item=ga)
    added = await until(ws, "conversation.item.added")
    assert added["item"]["id"].startswith("item_") and added["item"]["content"] == ga["content"]


async def test_function_output_for_an_unknown_call_is_refused(fake):
    ws = await configured(fake)
    output = {"type": "function_call_output", "call_id": "call_stale", "output": "{}"}
    await send(ws, "evt_o", type="conversation.item.create", item=output)
    error = (await until(ws, "error"))["error"]
    assert error["param"] == "item.call_id" and error["event_id"] == "evt_o"


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://example.com/cat.jpg", "invalid_value"),
        ("data:image/jpeg;base64,not base64!", "invalid_value"),
        ("data:image/jpeg;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n").decode(), "invalid_image_format"),
        ("data:image/bmp;base64," + base64.b64encode(b"BM" + bytes(30)).decode(), "invalid_image_format"),
        ("data:image/webp;base64," + base64.b64encode(b"RIFF\x00\x00\x00\x00WAVE").decode(), "invalid_image_format"),
    ],
    ids=["not-a-data-url", "bad-base64", "png-labelled-jpeg", "bmp", "riff-not-webp"],
)
async def test_an_input_image_must_be_a_picture_the_service_reads(fake, url, code):
    ws = await configured(fake)
    item = {"type": "message", "role": "user", "content": [{"type": "input_image", "image_url": url}]}
    await send(ws, "evt_i", type="conversation.item.create", item=item)
    error = (await until(ws, "error"))["error"]
    assert (error["code"], error["param"], error["event_id"]) == (code, "item.content[0].image_url", "evt_i")
    jpeg = "data:image/jpeg;base64," + base64.b64encode(b"\xff\xd8\xff\xe0" + bytes(16)).decode()
    good = {"type": "message", "role": "user", "content": [{"type": "input_image", "image_url": jpeg}]}
    await send(ws, type="conversation.item.create", item=good)
    assert (await until(ws, "conversation.item.added"))["item"]["content"] == good["content"]


# ---- turns and responses -----------------------------------------------------------------------


async def test_voice_turn_follows_the_reference_event_order(fake):
    fake.transcripts.append("Je voudrais un café")
    transcription = {"model": "gpt-4o-mini-transcribe", "language": "fr"}
    ws = await configured(fake, audio={"input": {"turn_detection": SERVER_VAD, "transcription": transcription}})
    await speak(ws)
    seen: list[dict] = []
    done = await until(ws, "response.done", seen)
    if not any(e["type"].endswith("input_audio_transcription.completed") for e in seen):
        await until(ws, "conversation.item.input_audio_transcription.completed", seen)
    order = [e["type"] for e in seen if "transcription" not in e["type"] and not e["type"].endswith(".delta")]
    assert order == [
        "input_audio_buffer.speech_started",
        "input_audio_buffer.speech_stopped",
        "input_audio_buffer.committed",
        "conversation.item.added",
        "conversation.item.done",
        "response.created",
        "rate_limits.updated",
        "response.output_item.added",
        "conversation.item.added",
        "response.content_part.added",
        "response.output_audio.done",
        "response.output_audio_transcript.done",
        "response.content_part.done",
        "response.output_item.done",
        "conversation.item.done",
        "response.done",
    ]
    started, committed = seen[0], next(e for e in seen if e["type"] == "input_audio_buffer.committed")
    assert started["item_id"] == committed["item_id"]
    audio = b"".join(base64.b64decode(e["delta"]) for e in seen if e["type"] == "response.output_audio.delta")
    assert len(audio) == 600 * 48  # the default reply: 600 ms at 24 kHz
    assert done["response"]["status"] == "completed"
    usage = done["response"]["usage"]["input_token_details"]
    assert usage["audio_tokens"] > 0 and usage["text_tokens"] > 0
    assert done["response"]["usage"]["output_token_details"]["audio_tokens"] == 12  # 600 ms at 20 tokens/s
    deltas = "".join(e["delta"] for e in seen if e["type"] == "conversation.item.input_audio_transcription.delta")
    completed = next(e for e in seen if e["type"].endswith("input_audio_transcription.completed"))
    assert deltas == completed["transcript"] == "Je voudrais un café"


async def test_input_transcription_only_when_configured_and_failed_when_unintelligible(fake):
    ws = await configured(fake, audio={"input": {"turn_detection": SERVER_VAD}})
    await speak(ws)
    seen: list[dict] = []
    await until(ws, "response.done", seen)
    assert not any("transcription" in e["type"] for e in seen)

    fake.transcripts.append(None)
    transcription = {"model": "whisper-1"}
    await send(
        ws, type="session.update", session={"type": "realtime", "audio": {"input": {"transcription": transcription}}}
    )
    await until(ws, "session.updated")
    await speak(ws)
    failed = await until(ws, "conversation.item.input_audio_transcription.failed")
    assert failed["error"]["type"] == "transcription_error" and failed["content_index"] == 0


@pytest.mark.parametrize("model", ["gpt-4o-mini-transcribe", "whisper-1"])
async def test_a_transcription_reports_its_usage_in_tokens_or_for_whisper_in_seconds(fake, model):
    ws = await configured(fake, audio={"input": {"turn_detection": SERVER_VAD, "transcription": {"model": model}}})
    await speak(ws)
    usage = (await until(ws, "conversation.item.input_audio_transcription.completed"))["usage"]
    await ws.close()
    if model == "whisper-1":  # billed by the minute
        assert set(usage) == {"type", "seconds"} and usage["type"] == "duration" and 0 < usage["seconds"] < 1
    else:
        assert usage["type"] == "tokens" and usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
        assert usage["input_token_details"] == {"text_tokens": 0, "audio_tokens": usage["input_tokens"]}
        assert usage["input_tokens"] > 0 and usage["output_tokens"] > 0


async def test_function_call_streams_its_arguments_and_no_response_follows_the_output_by_itself(fake):
    arguments = '{"original": "je suis allé", "corrected": "je suis allée"}'
    fake.replies.extend([Reply(text="", calls=(("note_correction", arguments),)), Reply(text="Bien.")])
    ws = await configured(fake)
    await send(ws, type="response.create")
    seen: list[dict] = []
    await until(ws, "response.done", seen)
    added = next(e for e in seen if e["type"] == "response.output_item.added")
    assert added["item"]["type"] == "function_call" and added["item"]["name"] == "note_correction"
    call_id = added["item"]["call_id"]
    assert call_id.startswith("call_")
    deltas = [e["delta"] for e in seen if e["type"] == "response.function_call_arguments.delta"]
    done = next(e for e in seen if e["type"] == "response.function_call_arguments.done")
    assert len(deltas) > 1 and "".join(deltas) == done["arguments"] == arguments

    output = {"type": "function_call_output", "call_id": call_id, "output": '{"ok": true}'}
    await send(ws, "evt_out", type="conversation.item.create", item=output)
    await until(ws, "conversation.item.done")
    await send(ws, "evt_next", type="response.create")  # refused if a response had started by itself
    seen = []
    await until(ws, "response.done", seen)
    assert not [e for e in seen if e["type"] == "error"]
    assert [e["type"] for e in seen].count("response.created") == 1


async def test_a_second_response_while_one_is_active_is_refused_without_closing(fake):
    fake.replies.append(Reply(hold_at_ms=200))
    ws = await configured(fake)
    await send(ws, "evt_1", type="response.create")
    created = await until(ws, "response.created")
    await send(ws, "evt_2", type="response.create")
    error = (await until(ws, "error"))["error"]
    assert (error["code"], error["event_id"]) == ("conversation_already_has_active_response", "evt_2")
    assert created["response"]["id"] in error["message"]
    fake.release()
    assert (await until(ws, "response.done"))["response"]["status"] == "completed"


async def test_barge_in_cancels_the_response_with_turn_detected_and_an_incomplete_item(fake):
    fake.replies.append(Reply(hold_at_ms=200))
    ws = await configured(fake, audio={"input": {"turn_detection": SERVER_VAD}})
    await send(ws, type="response.create")
    await until(ws, "response.output_audio.delta")
    await send(ws, type="input_audio_buffer.append", audio=b64(tone(100)))
    seen: list[dict] = []
    done = await until(ws, "response.done", seen)
    after = [e["type"] for e in seen][[e["type"] for e in seen].index("input_audio_buffer.speech_started") :]
    assert after[1:6] == [
        "response.output_audio.done",
        "response.output_audio_transcript.done",
        "response.content_part.done",
        "response.output_item.done",
        "conversation.item.done",
    ]
    assert done["response"]["status"] == "cancelled"
    assert done["response"]["status_details"] == {"type": "cancelled", "reason": "turn_detected"}
    assert next(e for e in seen if e["type"] == "response.output_item.done")["item"]["status"] == "incomplete"


async def test_cancel_gives_client_cancelled_and_cancel_without_a_response_is_refused(fake):
    fake.replies.append(Reply(hold_at_ms=100))
    ws = await configured(fake)
    await send(ws, "evt_none", type="response.cancel")
    error = (await until(ws, "error"))["error"]
    assert (error["code"], error["event_id"]) == ("response_cancel_not_active", "evt_none")
    await send(ws, type="response.create")
    await until(ws, "response.output_audio.delta")
    await send(ws, type="response.cancel")
    done = await until(ws, "response.done")
    assert done["response"]["status_details"]["reason"] == "client_cancelled"


async def test_truncate_past_the_audio_sent_or_at_zero_is_refused_and_a_valid_one_cuts_the_transcript(fake):
    fake.replies.append(Reply(text="un deux trois quatre cinq six", audio_ms=600))
    ws = await configured(fake)
    await send(ws, type="response.create")
    item_id = (await until(ws, "response.output_item.done"))["item"]["id"]
    await until(ws, "response.done")
    truncate = {"type": "conversation.item.truncate", "item_id": item_id, "content_index": 0}
    await send(ws, "evt_long", **truncate, audio_end_ms=601)
    await send(ws, "evt_zero", **truncate, audio_end_ms=0)
    long, zero = (await until(ws, "error"))["error"], (await until(ws, "error"))["error"]
    assert long["event_id"] == "evt_long" and "already shorter than 601ms" in long["message"]
    assert (zero["event_id"], zero["code"]) == ("evt_zero", "unsupported_content_type")

    await send(ws, "evt_ok", **truncate, audio_end_ms=300)
    assert (await until(ws, "conversation.item.truncated"))["audio_end_ms"] == 300
    await send(ws, type="conversation.item.retrieve", item_id=item_id)
    item = (await until(ws, "conversation.item.retrieved"))["item"]
    assert item["content"][0]["transcript"] == "un deux trois"


async def test_session_closes_with_1001_after_its_maximum_duration():
    async with FakeRealtimeServer(session_seconds=0.3, expiry_error=True) as fake:
        ws = await dial(fake)
        error = (await until(ws, "error"))["error"]
        assert error["code"] == "session_expired"
        with pytest.raises(ConnectionClosed):
            async with asyncio.timeout(HANG):
                await ws.recv()
        assert ws.close_code == 1001
        assert ws.close_reason == "Your session hit the maximum duration of 0.005 minutes."


async def test_items_can_be_placed_retrieved_and_deleted(fake):
    ws = await configured(fake)
    text = {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "deux"}]}
    await send(ws, type="conversation.item.create", item=text)
    second = (await until(ws, "conversation.item.done"))["item"]["id"]
    await send(ws, type="conversation.item.create", item={**text, "id": "item_first"}, previous_item_id="root")
    first = await until(ws, "conversation.item.done")
    assert (first["item"]["id"], first["previous_item_id"]) == ("item_first", None)
    await send(ws, type="conversation.item.delete", item_id=second)
    assert (await until(ws, "conversation.item.deleted"))["item_id"] == second
    await send(ws, "evt_gone", type="conversation.item.retrieve", item_id=second)
    error = (await until(ws, "error"))["error"]
    assert (error["param"], error["event_id"]) == ("item_id", "evt_gone")


async def test_out_of_band_response_runs_beside_the_active_one_and_beta_response_fields_are_refused(fake):
    fake.replies.extend([Reply(hold_at_ms=100), Reply("À part.")])
    ws = await configured(fake)
    await send(ws, type="response.create")
    await until(ws, "response.created")
    await send(ws, "evt_beta", type="response.create", response={"modalities": ["audio"]})
    error = (await until(ws, "error"))["error"]
    assert (error["code"], error["param"], error["event_id"]) == (
        "unknown_parameter",
        "response.modalities",
        "evt_beta",
    )
    await send(ws, type="response.create", response={"conversation": "none"})
    done = await until(ws, "response.done")
    assert done["response"]["conversation_id"] is None and done["response"]["status"] == "completed"
    fake.release()
    assert (await until(ws, "response.done"))["response"]["conversation_id"].startswith("conv_")


# ---- models the service no longer offers ---------------------------------------------------------


@pytest.mark.parametrize("model", ["gpt-4o-realtime-preview-2024-12-17", "gpt-realtime-shut", "no-such-model"])
async def test_a_shut_down_or_unknown_model_fails_every_response_with_model_not_found(model):
    async with FakeRealtimeServer(shut_down=frozenset({"gpt-realtime-shut"})) as fake:
        url = f"ws://127.0.0.1:{fake.port}/v1/realtime?model={model}"
        async with connect(url, additional_headers={"Authorization": "Bearer sk-test"}) as ws:
            await until(ws, "session.created")  # the session opens, as it does for the real service
            await send(ws, type="response.create")
            done = await until(ws, "response.done")
    assert done["response"]["status"] == "failed" and done["response"]["usage"] is None  # nothing billed
    error = done["response"]["status_details"]["error"]
    assert error == {
        "type": "invalid_request_error",
        "code": "model_not_found",
        "message": f"The model `{model}` does not exist or you do not have access to it.",
    }


@pytest.mark.parametrize(
    ("transcription", "param"),
    [
        ({"model": "gpt-4o-transcribe", "keywords": ["un café"]}, "keywords"),
        ({"model": "whisper-1", "languages": ["fr"]}, "languages"),
        ({"model": "gpt-realtime-whisper", "prompt": "un café"}, "prompt"),
        ({"model": "gpt-transcribe", "delay": "low"}, "delay"),
    ],
)
async def test_a_transcription_hint_its_model_does_not_take_is_refused(fake, transcription, param):
    ws = await dial(fake)
    await until(ws, "session.created")
    await send(
        ws,
        "evt_1",
        type="session.update",
        session={"type": "realtime", "audio": {"input": {"transcription": transcription}}},
    )
    error = (await until(ws, "error"))["error"]
    await ws.close()
    assert error["param"] == f"session.audio.input.transcription.{param}" and error["event_id"] == "evt_1"


async def test_a_transcriber_billed_by_the_minute_reports_the_seconds_it_heard(fake):
    ws = await configured(
        fake,
        audio={"input": {"format": PCM, "turn_detection": SERVER_VAD, "transcription": {"model": "gpt-transcribe"}}},
    )
    await speak(ws)
    completed = await until(ws, "conversation.item.input_audio_transcription.completed")
    await ws.close()
    assert completed["usage"]["type"] == "duration" and 0.3 <= completed["usage"]["seconds"] < 1.0


async def test_the_host_lists_its_models_with_their_shutdown_beside_the_socket(fake):
    def listed(key: str) -> tuple[int, dict]:
        request = urllib.request.Request(f"{fake.base_url}/models", headers={"Authorization": f"Bearer {key}"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    status, body = await asyncio.to_thread(listed, "sk-test")
    refused, _ = await asyncio.to_thread(listed, "sk-wrong")
    dates = {m["id"]: m["shutdown_date"] for m in body["data"]}
    assert status == 200 and refused == 401
    assert dates["gpt-realtime"] == "2027-01-20" and dates["gpt-realtime-2.1"] is None
