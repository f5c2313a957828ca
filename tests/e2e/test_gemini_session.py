"""The live page against Gemini Live's fake server (tests/fakes/gemini_live.py), in Chromium.

Speech from the fake microphone reaches the fake service through Daphne and the real google-genai
SDK; the fake's audio and transcripts come back to the page; and speaking over the tutor (barge-in)
makes the fake send `interrupted`, which must silence the page's playback at once.
"""

import asyncio
import re
import threading

import pytest

from lessons.demo import DEMO_PASSWORD, demo_seed
from practice.models import TutorSession
from tests.servers import daphne
from tutor.patience import patience_for

from ..fakes import gemini_live, tls
from .audio import quiet, said, seconds, write_wav
from .conftest import log_in, orm, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LESSON = "Ordering at a café in Lyon"
GREETING, FIRST, SECOND = gemini_live.DEFAULT_SCRIPT[:3]  # the provider cues the tutor to greet first
REPLY_WORD_MS = 900  # long enough replies that the student can speak over one
STUDENT = ".live-transcript .turn.student:not(.partial)"
TUTOR = ".live-transcript .turn.tutor"


class FakeInThread:
    """The asyncio fake server on its own thread and loop: Playwright's sync API holds this thread's."""

    def __init__(self, fake) -> None:
        self.fake = fake
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.fake.__aenter__(), self.loop).result(10)
        return self.fake

    def __exit__(self, *exc) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.__aexit__(None, None, None), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


def microphone_wav(folder):
    """Quiet while the tutor greets; the first answer; then, in the middle of the tutor's reply, the second (a
    barge-in). The middle leaves the most room either side for a busy machine that answers late."""
    greeting_ends = len(GREETING.reply.split()) * REPLY_WORD_MS / 1000 + 1.5
    end_of_speech = patience_for("A1").end_silence_ms / 1000 + 0.2  # the lesson is A1: its silence, then the fake
    reply_starts = greeting_ends + seconds(said(FIRST.heard, language="fr-FR")) + end_of_speech
    barge_in_at = reply_starts + len(FIRST.reply.split()) * REPLY_WORD_MS / 1000 / 2
    first = quiet(greeting_ends * 1000) + said(FIRST.heard, language="fr-FR")
    gap = quiet((barge_in_at - seconds(first)) * 1000)
    return write_wav(folder / "microphone.wav", first + gap + said(SECOND.heard, language="fr-FR") + quiet(6000))


def test_speech_reaches_gemini_tutor_audio_comes_back_and_barge_in_flushes_playback(
    chromium, artifacts, shots, tmp_path
):
    orm(demo_seed)
    certificate = tls.make_certificate(tmp_path)
    options = gemini_live.FakeLiveOptions(api_key="test-key", pace=1.0, reply_word_ms=REPLY_WORD_MS)
    with FakeInThread(gemini_live.FakeGeminiLive(certificate, options)) as fake:
        environment = {
            "GEMINI_API_KEY": "test-key",
            "GEMINI_BASE_URL": fake.url,
            "SSL_CERT_FILE": str(certificate.cert_file),
        }
        settings = "tests.e2e.gemini_settings"
        with daphne(artifacts / "daphne.log", settings=settings, env=environment) as server:
            browser = chromium(microphone_wav(artifacts))
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors = watch(page)
            log_in(page, server.url, "ana", DEMO_PASSWORD)
            page.get_by_role("button", name=f"Start {LESSON}").first.click()
            page.wait_for_url(re.compile(r"/sessions/\d+/live/$"))
            session = orm(TutorSession.objects.get, student__username="ana")
            assert session.provider == "gemini"
            page.click("#start")

            # The tutor greets; the student's speech reaches the fake; its transcript and the voice come back.
            page.locator(TUTOR, has_text=GREETING.reply.split()[0]).wait_for()
            page.locator(STUDENT, has_text=FIRST.heard).wait_for()
            page.locator(TUTOR, has_text=" ".join(FIRST.reply.split()[:2])).wait_for()
            page.wait_for_function("() => window.__tutorAudio.playedSamples > 4800 && window.__tutorAudio.peak > 0.05")
            shots.take(page, "tutor-answers")

            # Speaking over the tutor: the fake interrupts, the page stops playing within 100 ms.
            page.wait_for_function("() => window.__tutorAudio.flushes >= 1")
            tap = page.evaluate("window.__tutorAudio")
            assert tap["lastFlushLatencyMs"] < 500, tap  # at once, however busy the machine
            page.locator(STUDENT, has_text=SECOND.heard).wait_for()
            page.locator(TUTOR, has_text=" ".join(SECOND.reply.split()[:2])).wait_for()
            shots.take(page, "after-barge-in")

            received = fake.connections[0].audio
            assert len(received) / 2 / 16_000 > 3.0, "the fake heard too little of the microphone"
            page.click("#end")
            page.wait_for_url(re.compile(rf"/sessions/{session.pk}/$"))
            shots.take(page, "session-page")
            assert errors == []
