"""The floor: the least any relay to the service must do, on websockets and uvloop, with no Django, no
Channels, no session and no persistence. For Gemini each browser frame is wrapped as a JSON+base64
`realtime_input` over TLS and each `serverContent` audio part unwrapped back to a binary frame; for
OpenAI each frame is also resampled to 24 kHz (as the app does it) and sent as `input_audio_buffer.append`,
and each `response.output_audio.delta` unwrapped.
`python -m bench.relay.floor gemini|openai PORT UPSTREAM_URL CA_FILE`."""

import asyncio
import base64
import json
import ssl
import sys

import uvloop
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

from tutor.audio import INPUT_RATE, StreamResampler
from tutor.providers.openai.realtime import MICROPHONE_RESAMPLING
from tutor.providers.openai.session import REALTIME_RATE

GEMINI_SETUP = json.dumps({"setup": {"model": "models/floor", "generationConfig": {"responseModalities": ["AUDIO"]}}})


def wrap(pcm: bytes) -> str:
    data = base64.b64encode(pcm).decode()
    return json.dumps({"realtime_input": {"audio": {"data": data, "mime_type": "audio/pcm;rate=16000"}}})


def unwrap(raw: str | bytes) -> list[bytes]:
    content = json.loads(raw).get("serverContent") or {}
    parts = (content.get("modelTurn") or {}).get("parts") or ()
    return [base64.b64decode(part["inlineData"]["data"]) for part in parts if "inlineData" in part]


async def gemini(browser, upstream_url: str, context: ssl.SSLContext) -> None:
    async with connect(upstream_url, ssl=context, compression=None, max_size=None, ping_interval=None) as upstream:
        await upstream.send(GEMINI_SETUP)
        await upstream.recv()

        async def up() -> None:
            async for frame in browser:
                if isinstance(frame, bytes):
                    await upstream.send(wrap(frame))

        async def down() -> None:
            async for raw in upstream:
                for pcm in unwrap(raw):
                    await browser.send(pcm)

        await asyncio.gather(up(), down())


async def openai(browser, upstream_url: str, context: ssl.SSLContext) -> None:
    url = f"{upstream_url}/realtime?model=floor"
    async with connect(url, ssl=context, compression=None, max_size=None, ping_interval=None) as upstream:
        await upstream.recv()  # session.created
        await upstream.send(json.dumps({"type": "session.update", "session": {"type": "realtime"}}))
        await upstream.recv()  # session.updated
        resampler = StreamResampler(INPUT_RATE, REALTIME_RATE, quality=MICROPHONE_RESAMPLING)

        async def up() -> None:
            async for frame in browser:
                if isinstance(frame, bytes) and (pcm := resampler.process(frame)):
                    audio = base64.b64encode(pcm).decode()
                    await upstream.send(json.dumps({"type": "input_audio_buffer.append", "audio": audio}))

        async def down() -> None:
            async for raw in upstream:
                event = json.loads(raw)
                if event.get("type") == "response.output_audio.delta":
                    await browser.send(base64.b64decode(event["delta"]))

        await asyncio.gather(up(), down())


RELAYS = {"gemini": gemini, "openai": openai}


async def main(service: str, port: int, upstream_url: str, ca_file: str) -> None:
    context = ssl.create_default_context(cafile=ca_file)
    relay = RELAYS[service]
    async with serve(
        lambda ws: relay(ws, upstream_url, context), "127.0.0.1", port, compression=None, max_size=None,
        ping_interval=None,
    ):  # fmt: skip
        print("ready", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    uvloop.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]))
