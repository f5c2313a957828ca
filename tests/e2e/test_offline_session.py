"""A student's whole lesson with the offline tutor, in Chromium: speaking, typing, a correction, a
network drop, a second tab, and the report at the end.

The microphone is Chromium's fake capture device playing a WAV of eSpeak NG speech: silence while the
tutor greets, then the lesson's first answer, spoken in a voice the recognizer was not built from.
"""

import re
import time

import pytest

from lessons.demo import DEMO_PASSWORD, demo_seed
from practice.models import Correction, SessionStatus, Turn, TutorSession
from tests.servers import daphne
from tutor.providers.offline.tts import speak

from .audio import quiet, said, seconds, write_wav
from .conftest import log_in, orm, watch
from .proxy import DroppingProxy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LESSON = "Ordering at a café in Lyon"
GREETING = "Bonjour ! Bienvenue au café. Qu'est-ce que vous voulez boire ?"
SPOKEN_ANSWER = "Je voudrais un café, s'il vous plaît"
CLOSE_ANSWER = "Je voudrait un croissant"
STUDENT = ".live-transcript .turn.student:not(.partial)"
TUTOR = ".live-transcript .turn.tutor"


def microphone_wav(folder):
    """Silence for as long as the greeting lasts and a little more, then the answer, then silence."""
    greeting = speak(GREETING, language="fr-FR", rate=16_000, pace="slow")
    speech = quiet(seconds(greeting) * 1000 + 2500) + said(SPOKEN_ANSWER, language="fr-FR") + quiet(3000)
    return write_wav(folder / "microphone.wav", speech)


def block_microphone(page) -> None:
    """This tab's browser refuses the microphone, as when the student clicked "Block"."""
    page.add_init_script(
        "navigator.mediaDevices.getUserMedia = () => "
        "Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));"
    )


def peak_meter_while(page, condition: str, timeout_s: float) -> float:
    """Wait for a JS condition, noting the highest microphone level the meter showed meanwhile."""
    peak, deadline = 0.0, time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        level, done = page.evaluate(f"() => [document.getElementById('mic-level').value, Boolean({condition})]")
        peak = max(peak, level)
        if done:
            return peak
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {condition}")


def test_a_student_speaks_types_is_corrected_survives_a_drop_and_reads_the_report(chromium, artifacts, shots):
    orm(demo_seed)
    wav = microphone_wav(artifacts)
    with daphne(artifacts / "daphne.log") as server:
        proxy = DroppingProxy(server.port)
        try:
            browser = chromium(wav)
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            page = context.new_page()
            errors = watch(page)

            log_in(page, proxy.url, "ana", DEMO_PASSWORD)
            shots.take(page, "dashboard")
            page.get_by_role("button", name=f"Start {LESSON}").first.click()
            page.wait_for_url(re.compile(r"/sessions/\d+/live/$"))
            session = orm(TutorSession.objects.get, student__username="ana")
            shots.take(page, "live-page-before-start")

            # The tutor greets: its voice really comes out of the playback worklet, and is captioned.
            page.click("#start")
            page.locator(TUTOR, has_text="Bienvenue au café").wait_for()
            page.wait_for_function("() => window.__tutorAudio.playedSamples > 24000 && window.__tutorAudio.peak > 0.05")
            assert page.locator("#connection-state").inner_text() == "Live"
            assert re.fullmatch(r"(09:[0-5]\d|10:00)", page.locator("#timer").inner_text())
            shots.take(page, "tutor-speaking")

            # The spoken answer reaches the offline tutor's recognizer and appears in the transcript.
            spoken = f"document.querySelector('{STUDENT}')?.textContent.includes('Je voudrais un café')"
            level = peak_meter_while(page, spoken, timeout_s=35)
            assert level > 0.3, "the microphone level meter never moved"
            page.locator(".live-side .chip.learned", has_text="un café").wait_for()
            shots.take(page, "spoken-answer-recognised")

            # A close typed answer while the tutor speaks: playback is flushed at once, and a correction
            # appears under the student's line.
            page.locator(TUTOR, has_text="Et avec ça").wait_for()
            page.wait_for_function("() => document.getElementById('live-session').dataset.speaking === 'true'")
            page.fill("#typed-text", CLOSE_ANSWER)
            page.press("#typed-text", "Enter")
            mine = page.locator(STUDENT, has_text=CLOSE_ANSWER)
            mine.locator(".correction", has_text="Je voudrais un croissant").wait_for()
            tap = page.evaluate("window.__tutorAudio")
            assert tap["flushes"] >= 1 and tap["lastFlushLatencyMs"] < 500, tap  # at once, however busy
            shots.take(page, "correction-under-the-answer")

            # The network drops: a banner, automatic reconnection, and the transcript rebuilt without
            # a turn or a correction twice.
            turns_before = page.locator(".live-transcript .turn").count()
            proxy.cut()
            page.locator("#banner", has_text="Reconnecting").wait_for()
            assert page.locator("#connection-state").inner_text() == "Reconnecting…"
            shots.take(page, "reconnecting-banner", full_page=False)
            proxy.restore()
            page.locator("#banner").wait_for(state="hidden")
            page.wait_for_function("() => document.getElementById('connection-state').dataset.state === 'live'")
            assert page.locator(".live-transcript .turn").count() == turns_before
            assert page.locator(".live-transcript .correction").count() == 1

            # The same session in a second tab, whose microphone is blocked: it takes over, says why
            # the microphone is off, and typing still works; the first tab says where the session went.
            second = context.new_page()
            second_errors = watch(second)
            block_microphone(second)
            second.goto(page.url)
            second.click("#start")
            second.locator("#alert", has_text="Microphone access is blocked").wait_for()
            page.locator("#banner", has_text="continues in another window").wait_for()
            page.locator("#tutor-speaking").wait_for(state="hidden")
            assert page.locator("#end").is_disabled() and page.locator("#typed-text").is_disabled()
            second.locator(STUDENT, has_text=CLOSE_ANSWER).wait_for()
            assert second.locator(".live-transcript .correction").count() == 1
            shots.take(page, "first-tab-replaced")
            shots.take(second, "second-tab-microphone-blocked")

            # Ending leads to the session's page: transcript, correction, words, and the report's status.
            second.click("#end")
            second.wait_for_url(re.compile(rf"/sessions/{session.pk}/$"))
            second.locator("#report h2", has_text="Report").wait_for()
            assert second.locator(".transcript .correction", has_text="Je voudrais un croissant").count() == 1
            assert "Je voudrais un café" in second.locator(".transcript").inner_text()
            shots.take(second, "session-page-with-report")
            assert errors == [] and second_errors == []
        finally:
            proxy.close()

    orm(session.refresh_from_db)
    assert session.status == SessionStatus.ENDED and session.end_reason == "student"
    turns = Turn.objects.filter(session=session)
    assert orm(turns.filter(role="student", text__startswith="Je voudrais un café").exists)
    assert orm(turns.filter(role="tutor", interrupted=True).exists)
    assert orm(Correction.objects.filter(session=session, corrected="Je voudrais un croissant").count) == 1
