"""A spoken review in Chromium with a fake microphone: the offline tutor drills the due card, the spoken answer
is checked like a dialogue step and rates the card; then the review page with its keyboard shortcuts and the
card's audio."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from accounts.models import User
from lessons.demo import DEMO_PASSWORD, demo_seed
from practice.models import Card, CardReview
from practice.services.deck import card_audio_make
from tests.servers import daphne
from tutor.drill import prompts_for
from tutor.providers.offline.tts import speak

from .audio import quiet, said, seconds, write_wav
from .conftest import log_in, orm, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MISTAKE = "Je voudrait un café, s'il vous plaît"
ANSWER = "Je voudrais un café, s'il vous plaît"
STUDENT = ".live-transcript .turn.student:not(.partial)"


def cards_for(username: str) -> tuple[Card, Card]:
    ana = User.objects.get(username=username)
    earlier = timezone.now() - dt.timedelta(days=1)
    due = Card.objects.create(student=ana, language="fr-FR", kind="correction", key="fr:je voudrais un cafe",
                              front=MISTAKE, back=ANSWER, note="first person: -s", due=earlier)  # fmt: skip
    new = Card.objects.create(student=ana, language="fr-FR", kind="word", key="fr:l addition", front="the bill",
                              back="l'addition", due=timezone.now())  # fmt: skip
    for card in (due, new):
        card_audio_make(card=card)
    return due, new


def microphone_wav(folder):
    prompts = prompts_for("fr-FR")
    line = f"{prompts.opening} {prompts.correction.format(cue=MISTAKE)}"
    question = speak(line, language="fr-FR", rate=16_000, pace="slow")
    speech = quiet(seconds(question) * 1000 + 2500) + said(ANSWER, language="fr-FR") + quiet(3000)
    return write_wav(folder / "microphone.wav", speech)


def test_the_tutor_drills_a_due_card_by_voice_and_the_review_page_rates_by_keyboard(chromium, artifacts, shots):
    orm(demo_seed)
    due, new = orm(cards_for, "ana")
    with daphne(artifacts / "daphne.log") as server:
        page = chromium(microphone_wav(artifacts)).new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        errors = watch(page)
        log_in(page, server.url, "ana", DEMO_PASSWORD)
        page.locator("#deck-heading").wait_for()
        shots.take(page, "dashboard-with-cards-due")

        page.goto(f"{server.url}/deck/?show=new")
        shots.take(page, "deck")
        page.get_by_role("button", name="Spoken review in French").click()
        page.wait_for_url(re.compile(r"/sessions/\d+/live/$"))
        page.click("#start")
        page.locator(".live-transcript .turn.tutor", has_text="Dites-le correctement").wait_for()
        shots.take(page, "tutor-asks-the-card")
        page.locator(STUDENT, has_text="Je voudrais un café").wait_for(timeout=40_000)
        page.locator(".live-transcript .turn.tutor", has_text="Comment dit-on « the bill »").wait_for()
        shots.take(page, "answer-recognised")
        page.click("#end")
        page.wait_for_url(re.compile(r"/sessions/\d+/$"))
        page.locator("#reviewed-heading").wait_for()
        shots.take(page, "review-session-page")

        review = orm(lambda: CardReview.objects.get(card=due))
        assert (review.rating, review.mode) == (3, "voice")  # right first time: Good
        assert orm(lambda: CardReview.objects.filter(card=new).exists()) is False  # never reached

        page.goto(f"{server.url}/deck/review/")
        page.locator("#review-cue", has_text="the bill").wait_for()
        shots.take(page, "review-question")
        page.keyboard.press("Space")
        page.locator("#answer").wait_for()
        page.wait_for_function("() => document.getElementById('card-audio').currentTime > 0.2")
        shots.take(page, "review-answer-played")
        with page.expect_navigation():
            page.keyboard.press("3")
        rated = orm(lambda: CardReview.objects.get(card=new))
        assert (rated.rating, rated.mode) == (3, "page") and rated.duration_ms > 0
        shots.take(page, "after-rating")
        assert errors == []


def spanish_word_card() -> Card:
    ana = User.objects.get(username="ana")
    cues = [["en", "the bill"], ["es", "la cuenta"], ["de", "die Rechnung"]]
    card = Card.objects.create(student=ana, language="fr-FR", kind="word", key="fr:l addition", front="the bill",
                               back="l'addition", cues=cues, due=timezone.now() - dt.timedelta(hours=1))  # fmt: skip
    card_audio_make(card=card)
    return card


def test_a_spanish_reader_is_asked_each_word_in_spanish_in_a_review_named_in_the_pages_language(
    chromium, artifacts, shots
):
    """Issue 24, defects 3 and 4: the word card asks « la cuenta », not « the bill »; the review and its tutor are named
    in the reader's language (Spanish for Ana, French for her teacher), not "Spoken review" and "Tutor"."""
    orm(demo_seed)
    card = orm(spanish_word_card)
    with daphne(artifacts / "daphne.log") as server:
        browser = chromium(write_wav(artifacts / "silence.wav", quiet(1000)))
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="es-ES")
        errors = watch(page)
        log_in(page, server.url, "ana", DEMO_PASSWORD)
        page.goto(f"{server.url}/deck/")
        assert page.locator(".deck-table td", has_text="la cuenta").count() == 1
        page.get_by_role("button", name="Repaso oral (francés)").click()
        page.wait_for_url(re.compile(r"/sessions/\d+/live/$"))
        assert page.locator("h1").inner_text() == "Repaso oral"
        page.click("#start")
        page.locator(".live-transcript .turn.tutor", has_text="Comment dit-on « la cuenta » ?").wait_for()
        shots.take(page, "asked-in-spanish")
        page.fill("#typed-text", "l'addition")
        page.press("#typed-text", "Enter")
        page.locator(STUDENT, has_text="l'addition").wait_for()
        page.wait_for_url(re.compile(r"/sessions/\d+/$"))  # its one card answered, the review ends by itself
        page.locator("#reviewed-heading").wait_for()
        assert page.locator("h1").inner_text() == "Repaso oral"
        shots.take(page, "session-page-in-spanish")
        review = orm(lambda: CardReview.objects.get(card=card))
        assert (review.rating, review.mode) == (3, "voice")
        assert errors == []

        teacher = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        log_in(teacher, server.url, "teacher", DEMO_PASSWORD)
        teacher.goto(f"{server.url}/teach/sessions/{review.session_id}/")
        assert teacher.locator("h1").inner_text() == "Ana · Révision orale"
        assert teacher.locator(".transcript .turn.tutor .speaker").first.inner_text().startswith("Tuteur")
        shots.take(teacher, "teacher-page-in-french")


def test_the_review_page_is_answered_and_rated_from_the_keyboard(chromium, artifacts, shots):
    """Issue 24, must-have 6: T types an answer, Enter checks it, the difference is shown and the suggested rating
    has the focus, so Enter rates it; any other key of 1-4 would override it."""
    orm(demo_seed)
    due, new = orm(cards_for, "ana")
    with daphne(artifacts / "daphne.log") as server:
        page = chromium(write_wav(artifacts / "silence.wav", quiet(1000))).new_page(
            viewport={"width": 1280, "height": 900}, locale="en-GB"
        )
        errors = watch(page)
        log_in(page, server.url, "ana", DEMO_PASSWORD)
        page.goto(f"{server.url}/deck/review/")
        page.locator("#review-cue", has_text="Say it correctly").wait_for()
        page.keyboard.press("t")
        assert page.evaluate("document.activeElement.id") == "id_answer"
        page.keyboard.type("Je voudrais un café, s'il vous plaît")
        page.keyboard.press("Enter")
        page.locator("#answer-result", has_text="Right!").wait_for()
        with page.expect_navigation():
            page.keyboard.press("2")  # the student overrides the suggested Good
        assert orm(lambda: CardReview.objects.get(card=due).rating) == 2

        page.locator("#review-cue", has_text="the bill").wait_for()
        page.keyboard.press("t")
        page.keyboard.type("l'adition")
        page.keyboard.press("Enter")
        result = page.locator("#answer-result")
        result.wait_for()
        assert result.get_attribute("data-verdict") == "close" and "Right, with a slip" in result.inner_text()
        assert result.locator("del").inner_text() == "l'adition" and result.locator("ins").inner_text() == "l'addition"
        assert page.evaluate("document.activeElement.value") == "3"  # the suggestion, focused
        shots.take(page, "graded-by-keyboard")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        rated = orm(lambda: CardReview.objects.get(card=new))
        assert (rated.rating, rated.mode) == (3, "page")
        assert errors == []
