"""uvicorn's lifespan: a server that stops hands every live session off (as Daphne's cancellation does)."""

from live import host as live_host
from live.lifespan import lifespan


class _Host:
    handed_off = False

    async def hand_off(self) -> None:
        self.handed_off = True


async def test_shutdown_hands_off_every_session_this_process_hosts(monkeypatch):
    hosts = {1: _Host(), 2: _Host()}
    monkeypatch.setattr(live_host, "HOSTS", hosts)
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent = []

    async def receive() -> dict:
        return next(messages)

    async def send(message: dict) -> None:
        sent.append(message["type"])

    await lifespan({"type": "lifespan"}, receive, send)
    handed_off = [host.handed_off for host in hosts.values()]
    hosts.clear()  # nothing real to stop after the test
    assert handed_off == [True, True]
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
