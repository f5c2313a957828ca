"""`make smoke` (ops/smoke.py) against the fakes: the real app in its own processes, the real google-genai SDK
and Realtime client, a spoken and a typed exchange per provider, its numbers printed; a refused key is a FAIL
with the service's reason and a non-zero exit; no key at all is "skipped" and exit 0."""

import asyncio
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from ops.smoke import LINES, TURNS_EXPECTED
from tests.servers import ROOT

from ..fakes.gemini_live import DEFAULT_SCRIPT, FakeGeminiLive, FakeLiveOptions
from ..fakes.openai_realtime import FakeRealtimeServer
from ..fakes.tls import make_certificate

RUN_TIMEOUT = 600.0  # a bound on a failure: the run ends as soon as smoke does, however busy the machine
# A key in the developer's shell or .env must not be used: an empty value wins over .env, which only fills gaps.
NO_KEYS = {"GEMINI_API_KEY": "", "OPENAI_API_KEY": ""}


async def smoke(**environment: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "ops.smoke",
        cwd=ROOT,
        env={**os.environ, **NO_KEYS, **environment},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), RUN_TIMEOUT)
    return process.returncode, output.decode()


def table(output: str) -> dict[str, list[str]]:
    """The printed table as {row label: [cell per provider]}; the header row's label is ""."""
    rows: dict[str, list[str]] = {}
    for line in output.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if "" not in rows and line.startswith(" "):
            rows[""] = cells
        elif "" in rows and "result" not in rows:
            rows[cells[0]] = cells[1:]
    return rows


def kept_folder(output: str) -> Path:
    return Path(re.search(r"kept in (\S+)", output).group(1))


@pytest.fixture
def certificate(tmp_path):
    return make_certificate(tmp_path)


def gemini_environment(fake: FakeGeminiLive, certificate, key: str) -> dict[str, str]:
    return {"GEMINI_API_KEY": key, "GEMINI_BASE_URL": fake.url, "GEMINI_CA_FILE": str(certificate.cert_file)}


async def test_smoke_passes_on_both_services_and_prints_latency_tokens_cost_and_turns(certificate):
    async with (
        FakeGeminiLive(certificate, FakeLiveOptions(api_key="smoke-gemini-key")) as gemini,
        FakeRealtimeServer(api_key="sk-smoke") as openai,
    ):
        openai.transcripts.append(LINES.spoken)
        code, output = await smoke(
            **gemini_environment(gemini, certificate, "smoke-gemini-key"),
            OPENAI_API_KEY="sk-smoke",
            OPENAI_BASE_URL=openai.base_url,
        )
    assert code == 0, output
    assert "skipped" not in output
    rows = table(output)
    assert rows[""] == ["gemini", "openai"]
    assert rows["model"] == ["gemini-3.8-live", "gpt-realtime-2.1"]
    assert rows["result"] == ["PASS", "PASS"]
    for label in ("first audio after end of speech", "first audio after typed message"):
        for cell in rows[label]:
            assert 0 < float(cell.removesuffix(" ms")) < 10_000, (label, cell)
    for cell in rows["audio tokens in / out"]:
        audio_in, audio_out = (int(n) for n in cell.split(" / "))
        assert audio_in > 0 and audio_out > 0, cell
    for cell in rows["cost"]:
        assert float(re.match(r"\$([\d.]+) \(\d+ rows\)", cell).group(1)) > 0, cell
    assert rows["turns stored"] == [str(TURNS_EXPECTED)] * 2
    # What each service heard: the fakes transcribe from their scripts, and it came back to the student.
    assert f"gemini heard: {DEFAULT_SCRIPT[1].heard}\n" in output
    assert f"openai heard: {LINES.spoken}\n" in output

    # Both services got the speech, in real time, and the typed line.
    [connection] = gemini.connections
    assert len(connection.audio) / 2 / 16_000 > 1.0
    assert LINES.typed in [r.data for r in connection.of_kind("text")]
    [recording] = openai.recordings
    assert len(recording.received_of("input_audio_buffer.append")) > 25  # a second of 40 ms frames
    items = [e["item"] for e in recording.received_of("conversation.item.create")]
    assert LINES.typed in [part.get("text") for item in items for part in item.get("content", ())]


@pytest.mark.parametrize("provider", ["gemini", "openai"])
async def test_a_refused_key_fails_with_the_services_reason_and_a_nonzero_exit(provider, certificate):
    async with FakeGeminiLive(certificate) as gemini, FakeRealtimeServer() as openai:
        environment = (
            gemini_environment(gemini, certificate, "not-the-key")
            if provider == "gemini"
            else {"OPENAI_API_KEY": "sk-not-the-key", "OPENAI_BASE_URL": openai.base_url}
        )
        code, output = await smoke(**environment)
    other = "OPENAI_API_KEY" if provider == "gemini" else "GEMINI_API_KEY"
    assert code == 1, output
    assert f"skipped: no {other}" in output
    assert table(output)["result"] == ["FAIL"]
    # The service's own words, when asked for its models, first: what the operator has to fix.
    reason = "API key not valid" if provider == "gemini" else "Incorrect API key provided"
    assert re.search(rf"{provider}: FAIL: the service's models, checked first:\n.*{reason}", output), output
    assert gemini.connections == [] and openai.recordings == []  # no session was started on a refused key
    shutil.rmtree(kept_folder(output))


async def test_a_model_the_service_no_longer_offers_fails_in_plain_words_before_any_session(certificate):
    async with FakeGeminiLive(certificate, FakeLiveOptions(api_key="smoke-gemini-key")) as gemini:
        code, output = await smoke(
            **gemini_environment(gemini, certificate, "smoke-gemini-key"), GEMINI_TEXT_MODEL="gemini-2.5-flash"
        )
    assert code == 1, output
    assert "GEMINI_TEXT_MODEL names gemini-2.5-flash, which Gemini does not offer to this key" in output
    assert "Use gemini-3.5-flash-lite, its replacement." in output
    assert gemini.connections == []
    shutil.rmtree(kept_folder(output))


async def test_without_a_key_it_says_what_it_skipped_and_exits_0():
    code, output = await smoke()
    assert code == 0, output
    assert output.splitlines() == ["skipped: no GEMINI_API_KEY", "skipped: no OPENAI_API_KEY"]
