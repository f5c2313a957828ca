"""The same relay as the floor, as a bare ASGI application: what the server itself (Daphne, uvicorn)
costs, with no Django or Channels. `daphne bench.relay.raw_asgi:application` or `uvicorn ...`; the
upstream comes from RELAY_UPSTREAM_URL and RELAY_CA_FILE."""

import asyncio
import os
import ssl

from websockets.asyncio.client import connect

from .floor import GEMINI_SETUP, unwrap, wrap


async def application(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            pass
        return
    if scope["type"] != "websocket":
        return
    await receive()  # websocket.connect
    context = ssl.create_default_context(cafile=os.environ["RELAY_CA_FILE"])
    async with connect(
        os.environ["RELAY_UPSTREAM_URL"], ssl=context, compression=None, max_size=None, ping_interval=None
    ) as upstream:
        await upstream.send(GEMINI_SETUP)
        await upstream.recv()
        await send({"type": "websocket.accept"})

        async def up() -> None:
            while True:
                message = await receive()
                if message["type"] == "websocket.disconnect":
                    return
                if message.get("bytes"):
                    await upstream.send(wrap(message["bytes"]))

        async def down() -> None:
            async for raw in upstream:
                for pcm in unwrap(raw):
                    await send({"type": "websocket.send", "bytes": pcm})

        reader = asyncio.create_task(down())
        try:
            await up()
        finally:
            reader.cancel()
