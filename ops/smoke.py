"""`make smoke` (`python -m ops.smoke`): one short spoken and typed exchange with each tutor service this site has a
key for, through the real app, so an operator can check a deployment in one command.

For each provider whose key is set (GEMINI_API_KEY, OPENAI_API_KEY, from the environment or .env) it first asks the
service which models it offers (`manage.py tutor_models`) and fails, in plain words, when a model the site is set to
call is not among them; then it serves the app with Daphne on a scratch SQLite database and data folder, with the
site's tutor settings (models, voices, base URLs and CA files, prices); logs in as a throwaway student; starts a
session of the French demo lesson on that provider through `POST /api/sessions/`; waits for the greeting; says one
sentence (eSpeak NG speech, streamed in real time, then silence) and types one; ends the session; and prints how
long the tutor's voice took, the tokens and cost the session recorded, the turns stored, and PASS or FAIL with the
reason. The exit status is 1 when any provider failed, 0 when all passed or no key is set ("skipped").
"""

import asyncio
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from config.settings.env import env

from .failure import SmokeFailure
from .scratch import STUDENT, ScratchApp, Stored
from .student import Browser, Exchange, Lines, converse

PROVIDERS = (("gemini", "GEMINI_API_KEY"), ("openai", "OPENAI_API_KEY"))
LINES = Lines(
    language="fr-FR",
    spoken="Bonjour, je voudrais un café, s'il vous plaît.",
    typed="Et un croissant, s'il vous plaît.",
)
TURNS_EXPECTED = 5  # the greeting, the spoken turn and its answer, the typed one and its answer


@dataclass(frozen=True)
class Result:
    provider: str
    exchange: Exchange | None
    stored: Stored | None
    failure: str | None


def main() -> int:
    keyed = []
    for provider, key in PROVIDERS:
        if env.str(key, default=""):
            keyed.append(provider)
        else:
            print(f"skipped: no {key}")
    if not keyed:
        return 0
    data_dir = Path(tempfile.mkdtemp(prefix="tutor-smoke-"))
    app = ScratchApp(data_dir)
    try:
        lesson = app.prepare(LINES.language)
    except SmokeFailure as failure:
        print(f"FAIL: the scratch copy of the app could not be prepared: {failure}\nIts files are in {data_dir}")
        return 1
    results = [_check(app, provider, lesson) for provider in keyed]
    print(table(results))
    for result in results:
        if result.exchange is not None:  # what the service's transcription made of the student
            print(f"{result.provider} heard: " + (" | ".join(result.exchange.heard) or "(no transcript)"))
    failed = [result for result in results if result.failure]
    for result in failed:
        print(f"{result.provider}: FAIL: {result.failure}")
    if failed:
        print(f"The server's log ({app.log.name}) and the scratch database are kept in {data_dir}")
        return 1
    shutil.rmtree(data_dir, ignore_errors=True)
    return 0


def _check(app: ScratchApp, provider: str, lesson_id: int) -> Result:
    session_id, exchange, failure = None, None, None
    if (not_offered := app.models_offered(provider)) is not None:
        return Result(provider, None, None, f"the service's models, checked first:\n    {not_offered}")
    try:
        with app.serving(provider) as url:
            browser = Browser(url)
            browser.log_in(STUDENT, app.password)
            session = browser.start_session(lesson_id)
            session_id = session["id"]
            exchange = asyncio.run(converse(url, browser.cookie_header(), session, provider, LINES))
    except SmokeFailure as problem:
        failure = str(problem)
    if session_id is None:
        return Result(provider, None, None, failure)
    if failure is not None:
        failure = "\n    ".join([failure, *(f"server log: {line}" for line in app.log_lines(session_id))])
    try:
        stored = app.stored(session_id)  # read once the server has stopped, so every write is in
    except SmokeFailure as problem:
        return Result(provider, exchange, None, failure or str(problem))
    if failure is None and stored.usage_rows == 0:
        failure = "no usage recorded: the session's tokens and cost are missing"
    if failure is None and stored.turns < TURNS_EXPECTED:
        failure = f"{stored.turns} turns stored, {TURNS_EXPECTED} expected"
    return Result(provider, exchange, stored, failure)


def table(results: list[Result]) -> str:
    """One column per provider; a dash where a failure left nothing to show."""
    rows: list[tuple[str, list[str]]] = [
        ("", [r.provider for r in results]),
        ("model", [", ".join(r.stored.models) if r.stored and r.stored.models else "-" for r in results]),
        ("first audio after end of speech", [_ms(r.exchange.after_speech if r.exchange else None) for r in results]),
        ("first audio after typed message", [_ms(r.exchange.after_typed if r.exchange else None) for r in results]),
        ("text tokens in / out", [_pair(r, "text_in", "text_out") for r in results]),
        ("audio tokens in / out", [_pair(r, "audio_in", "audio_out") for r in results]),
        ("image / cached tokens in", [_pair(r, "image_in", "cached_in") for r in results]),
        ("cost", [f"${r.stored.cost_usd:.4f} ({r.stored.usage_rows} rows)" if r.stored else "-" for r in results]),
        ("turns stored", [str(r.stored.turns) if r.stored else "-" for r in results]),
        ("result", ["FAIL" if r.failure else "PASS" for r in results]),
    ]
    width = max(len(label) for label, _ in rows) + 2
    columns = [max(len(cells[i]) for _, cells in rows) + 2 for i in range(len(results))]
    lines = [
        f"{label:<{width}}" + "".join(f"{cell:<{columns[i]}}" for i, cell in enumerate(cells)) for label, cells in rows
    ]
    return "\n".join(line.rstrip() for line in lines)


def _ms(seconds: float | None) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds is not None else "-"


def _pair(result: Result, first: str, second: str) -> str:
    if result.stored is None:
        return "-"
    return f"{result.stored.tokens[first]} / {result.stored.tokens[second]}"


if __name__ == "__main__":
    sys.exit(main())
