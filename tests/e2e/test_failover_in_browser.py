"""Failover in Chromium: a lesson on Gemini Live (the real google-genai SDK against its TLS fake) whose service dies
in the middle of the tutor's answer goes on with OpenAI Realtime (the real client against its fake), as
TUTOR_FAILOVER orders them. The page says it is switching, the tutor is heard again, what was said stays in the
transcript, a typed turn after the switch is answered by OpenAI, and each stored turn names its provider.

It prints (does not assert) the time from the kill to the first tutor audio played on the page from OpenAI, and
writes it to the test's artifacts (timing.txt).
"""

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from lessons.demo import DEMO_PASSWORD, demo_seed
from practice.models import Turn, TutorSession
from tests.servers import daphne

from ..fakes import gemini_live, openai_realtime, tls
from .audio import quiet, said, write_wav
from .conftest import log_in, orm, watch
from .test_gemini_session import FakeInThread

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LESSON = "Ordering at a café in Lyon"
GREETING, FIRST = gemini_live.DEFAULT_SCRIPT[:2]  # the provider cues the tutor to greet first
REPLY_WORD_MS = 700  # Gemini's answer lasts seconds, so the service can die in its middle
BACK = openai_realtime.Reply("Rebonjour ! Où en étions-nous ?", audio_ms=1200)
TYPED = "Je voudrais aussi un jus d'orange."
SWITCHING = "Switching tutor voice"
STUDENT = ".live-transcript .turn.student:not(.partial)"
TUTOR = ".live-transcript .turn.tutor"
FINAL_TUTOR = ".live-transcript .turn.tutor:not(.partial)"
# The failover banner stays up only while the next provider connects (milliseconds against the fake), so the
# page keeps a log of every text the banner shows, with the samples played by then.
BANNER_LOG = """() => {
  window.__banners = [];
  const banner = document.querySelector("#banner");
  const note = () => {
    if (banner.hidden) return;
    window.__banners.push({ text: banner.textContent.trim(), played: window.__tutorAudio.playedSamples });
  };
  new MutationObserver(note).observe(banner, { attributes: true, childList: true, subtree: true, characterData: true });
}"""


@dataclass(frozen=True)
class Switched:
    """The lesson just after the switch: the page, the session, the OpenAI fake, the seconds from the kill to
    the first tutor audio from OpenAI, and the page's errors so far."""

    page: "Page"
    session: TutorSession
    openai: openai_realtime.FakeRealtimeServer
    heard_again: float
    errors: list[str]


def microphone_wav(folder):
    """Quiet while the tutor greets, the first answer, then quiet for the rest of the lesson. The microphone's file
    starts playing when the page asks for the microphone, before the session has connected and the greeting begun,
    so the answer comes 3 s after the greeting would end if it began at once: a greeting up to 3 s late is not cut,
    and the silence stays below the 5 s after which an A1 student is offered help (which would take the answer's
    place in the fake's script)."""
    greeting_ends = len(GREETING.reply.split()) * REPLY_WORD_MS / 1000 + 3
    speech = said(FIRST.heard, language="fr-FR")
    return write_wav(folder / "microphone.wav", quiet(greeting_ends * 1000) + speech + quiet(40_000))


@contextlib.contextmanager
def gemini_dies_mid_answer(chromium, artifacts, shots, tmp_path) -> Iterator[Switched]:
    """A student starts the lesson on Gemini and answers its greeting; while Gemini answers, its service dies;
    yields once the page has shown the switch and played OpenAI's first words."""
    orm(demo_seed)
    certificate = tls.make_certificate(tmp_path)
    options = gemini_live.FakeLiveOptions(api_key="test-key", pace=1.0, reply_word_ms=REPLY_WORD_MS)
    gemini_thread = FakeInThread(gemini_live.FakeGeminiLive(certificate, options))
    with gemini_thread as gemini, FakeInThread(openai_realtime.FakeRealtimeServer(api_key="sk-test")) as openai:
        openai.replies.append(BACK)
        environment = {
            "TUTOR_FAILOVER": "gemini,openai,offline",
            "GEMINI_API_KEY": "test-key",
            "GEMINI_BASE_URL": gemini.url,
            "GEMINI_CA_FILE": str(certificate.cert_file),
            "OPENAI_API_KEY": "sk-test",
            "OPENAI_BASE_URL": openai.base_url,
        }
        with daphne(artifacts / "daphne.log", settings="tests.e2e.failover_settings", env=environment) as server:
            browser = chromium(microphone_wav(artifacts))
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors = watch(page)
            log_in(page, server.url, "ana", DEMO_PASSWORD)
            page.get_by_role("button", name=f"Start {LESSON}").first.click()
            page.wait_for_url(re.compile(r"/sessions/\d+/live/$"))
            session = orm(TutorSession.objects.get, student__username="ana")
            assert session.provider == "gemini"
            page.evaluate(BANNER_LOG)
            page.click("#start")

            # A turn with Gemini, and the start of its answer to the student.
            page.locator(TUTOR, has_text=GREETING.reply.split()[0]).wait_for()
            page.locator(STUDENT, has_text=FIRST.heard).wait_for()
            page.locator(TUTOR, has_text=FIRST.reply.split()[0]).wait_for()
            page.wait_for_function("() => window.__tutorAudio.playedSamples > 0")
            shots.take(page, "gemini-answering")

            # The service dies mid-answer: its socket closes and nothing answers at its address any more.
            killed = time.monotonic()
            asyncio.run_coroutine_threadsafe(gemini.__aexit__(None, None, None), gemini_thread.loop).result(10)
            switching = f"() => window.__banners.some(b => b.text.includes({SWITCHING!r}))"
            page.wait_for_function(switching, polling=10, timeout=60_000)
            played = page.evaluate(f"window.__banners.find(b => b.text.includes({SWITCHING!r})).played")
            page.wait_for_function(
                "(played) => window.__tutorAudio.playedSamples > played", arg=played, polling=10, timeout=30_000
            )
            heard_again = time.monotonic() - killed
            timing = f"failover: {heard_again * 1000:.0f} ms from the kill to the first tutor audio from OpenAI"
            print(timing)
            (artifacts / "timing.txt").write_text(timing + "\n")
            # OpenAI's voice, not a stray frame: a second of it is played.
            page.wait_for_function(
                "(played) => window.__tutorAudio.playedSamples > played + 24000", arg=played, timeout=30_000
            )
            page.locator(FINAL_TUTOR, has_text=BACK.text.split()[0]).wait_for()
            shots.take(page, "back-on-openai")
            yield Switched(page=page, session=session, openai=openai, heard_again=heard_again, errors=errors)
            page.click("#end")
            page.wait_for_url(re.compile(rf"/sessions/{session.pk}/$"))
            shots.take(page, "session-page")


def _stored_turns(session: TutorSession) -> list[tuple[str, str, str]]:
    turns = Turn.objects.filter(session=session).order_by("index")
    return orm(lambda: list(turns.values_list("role", "provider", "text")))


def _received(openai: openai_realtime.FakeRealtimeServer) -> list[dict]:
    return [event for recording in openai.recordings for event in recording.received]


def _texts(item: dict) -> list[str]:
    return [part["text"] for part in item.get("content", ()) if part.get("text")]


def test_gemini_dies_mid_answer_and_the_page_goes_on_with_openai_losing_nothing(chromium, artifacts, shots, tmp_path):
    with gemini_dies_mid_answer(chromium, artifacts, shots, tmp_path) as switched:
        page = switched.page
        # What was said before the switch is still on the page, once each.
        assert page.locator(TUTOR, has_text=GREETING.reply).count() == 1
        assert page.locator(STUDENT, has_text=FIRST.heard).count() == 1
        assert page.locator(TUTOR, has_text=FIRST.reply.split()[0]).count() == 1

        # A typed turn after the switch is answered by OpenAI.
        page.fill("#typed-text", TYPED)
        page.press("#typed-text", "Enter")
        page.locator(STUDENT, has_text=TYPED).wait_for()
        page.locator(f"{STUDENT}:has-text({json.dumps(TYPED)}) ~ .turn.tutor:not(.partial)").first.wait_for()
        shots.take(page, "typed-answered-by-openai")
        assert switched.errors == []

    items = [event["item"] for event in _received(switched.openai) if event["type"] == "conversation.item.create"]
    given = [text for item in items for text in _texts(item)]
    assert FIRST.heard in given, "the turn Gemini left unanswered is given to OpenAI again"
    assert TYPED in given
    turns = _stored_turns(switched.session)
    assert turns[:2] == [("tutor", "gemini", GREETING.reply), ("student", "gemini", FIRST.heard)]
    # Then at most the answer Gemini had begun when it died, kept as it stood; everything after is OpenAI's.
    kept, after = (turns[2:3], turns[3:]) if turns[2][:2] == ("tutor", "gemini") else ([], turns[2:])
    assert all(FIRST.reply.startswith(text) for _role, _provider, text in kept)
    assert {provider for _role, provider, _text in after} == {"openai"}
    assert after[0] == ("tutor", "openai", BACK.text)
    typed_at = next(i for i, (role, _provider, text) in enumerate(after) if (role, text) == ("student", TYPED))
    assert after[typed_at + 1][:2] == ("tutor", "openai")
    stored = orm(TutorSession.objects.get, pk=switched.session.pk)
    assert (stored.provider, stored.model) == ("openai", "gpt-realtime-2.1")


def test_after_the_switch_openai_has_heard_the_unanswered_turn_before_its_first_reply(
    chromium, artifacts, shots, tmp_path
):
    with gemini_dies_mid_answer(chromium, artifacts, shots, tmp_path) as switched:
        received = _received(switched.openai)
    first_reply = next(i for i, event in enumerate(received) if event["type"] == "response.create")
    owed = next(
        i
        for i, event in enumerate(received)
        if event["type"] == "conversation.item.create" and FIRST.heard in _texts(event["item"])
    )
    assert owed < first_reply, "OpenAI was asked for its first reply before it was given the unanswered turn"
