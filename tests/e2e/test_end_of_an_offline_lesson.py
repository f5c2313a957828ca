"""The end of a lesson with the offline tutor, in Chromium (issue 24, defects 9 and 10): a correction says why, one
named rule for each mistake of the answer, under the answer as it happens; after the last step the tutor says its
closing line and ends the lesson itself: the page lets that line be heard to its end, then moves to the
end-of-lesson screen with no press of End, where the closing line is shown whole (stored whole, not cut off) and
the correction and its card carry their rules."""

import re

import pytest

from lessons.demo import DEMO_PASSWORD, demo_seed
from practice.models import Card, Turn, TutorSession
from tests.servers import daphne

from .audio import quiet, write_wav
from .conftest import log_in, orm, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LESSON_ES = "Pedir en un café de Lyon"
SAID = ".live-transcript .turn.tutor:not(.partial)"  # a tutor line said to its end
TWO_MISTAKES = "Je voudrai un croisant"
RULES = ("Conjugación de «vouloir»: «voudrais», no «voudrai».", "Ortografía: «croissant», no «croisant».")
# Typed answers to the French demo lesson, and what the tutor says next, before the following answer is typed.
ANSWERS = (
    ("Je voudrais un café, s'il vous plaît", "Et avec ça"),
    (TWO_MISTAKES, "On dit : Je voudrais un croissant"),
    ("Je voudrais un croissant", "Autre chose"),
    ("Non merci", "Vous payez comment"),
    ("Par carte", "bonne journée"),
)
LAST_ANSWER = "Merci, au revoir"
CLOSING = "Bravo, la leçon est terminée ! Merci, et à bientôt."
# The page, as it is left, keeps what its speaker had played (the tap, speaker.js) for the test to read afterwards.
# The lines of a rule as shown: its text, a line each (the screen reader's "Why:" left out).
LINES = "el => [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent.trim())"
AUDIO_AT_EXIT = """addEventListener("pagehide", () => {
  if (window.__tutorAudio) sessionStorage.setItem("audioAtExit", JSON.stringify(window.__tutorAudio));
});"""


def test_the_tutor_ends_the_lesson_after_its_closing_line_and_the_correction_names_each_rule(
    chromium, artifacts, shots
):
    orm(demo_seed)
    with daphne(artifacts / "daphne.log") as server:
        page = chromium(write_wav(artifacts / "silence.wav", quiet(1000))).new_page(
            viewport={"width": 1280, "height": 900}, locale="es-ES", extra_http_headers={"Accept-Language": "es"}
        )
        errors = watch(page)
        page.add_init_script(AUDIO_AT_EXIT)
        log_in(page, server.url, "ana", DEMO_PASSWORD)
        page.get_by_role("button", name=f"Empezar {LESSON_ES}").first.click()
        page.wait_for_url(re.compile(r"/sessions/\d+/live/$"))
        page.click("#start")
        page.locator(SAID, has_text="Bienvenue au café").wait_for()
        for answer, next_line in ANSWERS:  # each typed once the tutor's line was heard, as a student answers
            page.fill("#typed-text", answer)
            page.press("#typed-text", "Enter")
            page.locator(SAID, has_text=next_line).last.wait_for()

        # Under the answer with two mistakes: a rule for each, named, in Ana's own language.
        answer = page.locator(".live-transcript .turn.student", has_text=TWO_MISTAKES)
        assert answer.locator(".correction .rule").evaluate(LINES) == list(RULES)
        answer.scroll_into_view_if_needed()
        shots.take(page, "correction-with-its-rules")

        # The last answer: the closing line, then the end-of-lesson screen by itself, once the line was heard.
        before_closing = page.evaluate("window.__tutorAudio.playedSamples")
        page.fill("#typed-text", LAST_ANSWER)
        page.press("#typed-text", "Enter")
        page.locator(".live-transcript .turn.tutor", has_text=CLOSING).wait_for()
        shots.take(page, "closing-line")
        page.wait_for_url(re.compile(r"/sessions/\d+/$"))  # nobody pressed End
        heard = page.evaluate("JSON.parse(sessionStorage.getItem('audioAtExit')).playedSamples") - before_closing

        # The end-of-lesson screen: the closing line whole, the correction with its rules, its card with them too.
        transcript = page.locator(".transcript")
        closing = transcript.locator("li.turn.tutor").last
        assert CLOSING in closing.inner_text() and "(interrumpido)" not in closing.inner_text()
        correction = transcript.locator(".correction", has_text="Je voudrais un croissant")
        assert correction.locator(".rule").evaluate(LINES) == list(RULES)
        page.locator("#report .report-body[data-status='ready']").wait_for()
        assert RULES[0] in page.locator("#report").inner_text()
        card = page.locator("#new-cards .deck-cards li", has_text="Je voudrais un croissant")
        assert card.locator(".card-rule").evaluate(LINES) == list(RULES)
        shots.take(page, "end-of-lesson-screen")
        assert errors == []

    session = orm(lambda: TutorSession.objects.get())
    assert (session.status, session.end_reason) == ("ended", "completed")
    last = orm(lambda: Turn.objects.filter(session=session).order_by("index").last())
    assert (last.role, last.interrupted) == ("tutor", False) and last.text.endswith(CLOSING)
    # The page left once the closing line had played to its end: every sample of it was heard.
    assert heard >= last.audio_ms * 24 - 24, (heard, last.audio_ms)
    note = orm(lambda: Card.objects.get(kind="correction", back="Je voudrais un croissant").note)
    assert note == "\n".join(RULES)
