"""The ASGI lifespan of a server that speaks it (uvicorn): when it stops, every session this process
hosts is handed off, as Daphne's cancellation of each connection does (live/consumers/session.py)."""

from .host import hand_off_all


async def lifespan(scope, receive, send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await hand_off_all()
            await send({"type": "lifespan.shutdown.complete"})
            return
