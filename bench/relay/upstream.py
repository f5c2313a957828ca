"""Zero-latency stand-ins for Gemini Live and OpenAI Realtime over TLS: each answers the setup as its
service does, echoes every audio chunk back at once as the model's audio with its arrival time written
in, and every few seconds finishes a turn (the student's transcript, the tutor's, the turn's end with
usage) so the app does its per-turn work.
`python -m bench.relay.upstream gemini|openai PORT CERT KEY FRAME_BYTES TURN_SECONDS`.

Gemini's chunks carry the student's own stamped frames (the app sends the browser's PCM as it is). The
OpenAI path resamples to 24 kHz, which no stamp survives: there the n-th chunk of a connection is the
student's n-th frame (the app's resampler gives one chunk per frame), and the echo is stamped with n.
"""

import asyncio
import base64
import contextlib
import json
import ssl
import sys
import time

import uvloop
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

from .frames import HEADER, MAGIC, received_upstream

USAGE = {"promptTokenCount": 900, "responseTokenCount": 160, "totalTokenCount": 1060}
HEARD, SAID = "Je voudrais un café.", "Très bien, un café."
URLSAFE = str.maketrans("-_", "+/")


def gemini_turn() -> list[str]:
    return [
        json.dumps({"serverContent": {"inputTranscription": {"text": HEARD, "finished": True}}}),
        json.dumps({"serverContent": {"outputTranscription": {"text": SAID}}}),
        json.dumps({"serverContent": {"turnComplete": True}, "usageMetadata": USAGE}),
    ]


async def gemini(ws, frame_size: int, turn_seconds: float) -> None:
    await ws.recv()  # the setup
    await ws.send(json.dumps({"setupComplete": {}}))
    next_turn = time.monotonic() + turn_seconds
    async for raw in ws:
        message = json.loads(raw)
        realtime = message.get("realtime_input") or message.get("realtimeInput") or {}
        audio = realtime.get("audio")
        if audio is not None:  # standard or url-safe base64: the service takes both (the SDK sends url-safe)
            pcm = received_upstream(base64.b64decode(audio["data"].translate(URLSAFE)), frame_size, time.monotonic())
            part = {"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": base64.b64encode(pcm).decode()}}
            await ws.send(json.dumps({"serverContent": {"modelTurn": {"parts": [part]}}}))
        elif "text" in realtime:  # the app's cue that the student joined: a short greeting turn
            for text in gemini_turn()[1:]:
                await ws.send(text)
        if time.monotonic() >= next_turn:
            next_turn += turn_seconds
            for text in gemini_turn():
                await ws.send(text)


def openai_turn(number: int, *, heard: bool = True) -> list[str]:
    usage = {
        "input_token_details": {"text_tokens": 700, "audio_tokens": 200},
        "output_token_details": {"audio_tokens": 160},
    }
    events = [{"type": "conversation.item.input_audio_transcription.completed", "item_id": f"in_{number}",
               "content_index": 0, "transcript": HEARD}] if heard else []  # fmt: skip
    events += [
        {"type": "response.created", "response": {"id": f"resp_{number}", "status": "in_progress"}},
        {"type": "response.output_audio_transcript.delta", "item_id": f"out_{number}", "delta": SAID},
        {"type": "response.output_audio_transcript.done", "item_id": f"out_{number}", "transcript": SAID},
        {"type": "response.done", "response": {"id": f"resp_{number}", "status": "completed",
         "output": [{"type": "message", "id": f"out_{number}"}], "usage": usage}},
    ]  # fmt: skip
    return [json.dumps(event) for event in events]


async def openai(ws, frame_size: int, turn_seconds: float) -> None:
    await ws.send(
        json.dumps({"type": "session.created", "session": {"id": "sess_1", "expires_at": int(time.time()) + 3600}})
    )
    chunks, turns = 0, 0
    next_turn = time.monotonic() + turn_seconds
    async for raw in ws:
        event = json.loads(raw)
        match event.get("type"):
            case "input_audio_buffer.append":
                chunks += 1
                pcm = bytearray(base64.b64decode(event["audio"]))
                if len(pcm) >= HEADER.size:
                    HEADER.pack_into(pcm, 0, MAGIC, chunks, 0.0, time.monotonic())
                delta = {"type": "response.output_audio.delta", "item_id": f"out_{turns}", "content_index": 0,
                         "delta": base64.b64encode(pcm).decode()}  # fmt: skip
                await ws.send(json.dumps(delta))
            case "session.update":
                await ws.send(json.dumps({"type": "session.updated", "session": event["session"]}))
            case "response.create":  # the greeting of a new lesson
                turns += 1
                for text in openai_turn(turns, heard=False):
                    await ws.send(text)
        if time.monotonic() >= next_turn:
            next_turn += turn_seconds
            turns += 1
            for text in openai_turn(turns):
                await ws.send(text)


SERVICES = {"gemini": gemini, "openai": openai}


async def main(service: str, port: int, cert: str, key: str, frame_size: int, turn_seconds: float) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    session = SERVICES[service]

    async def handler(ws) -> None:
        with contextlib.suppress(ConnectionClosed):  # the app closed its connection: the session is over
            await session(ws, frame_size, turn_seconds)

    async with serve(handler, "127.0.0.1", port, ssl=context, compression=None, max_size=None, ping_interval=None):
        print("ready", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    service, port, cert, key, frame_size, turn_seconds = sys.argv[1:7]
    uvloop.run(main(service, int(port), cert, key, int(frame_size), float(turn_seconds)))
