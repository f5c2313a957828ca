"""What a learner sees after the lesson (issue 24), in Chromium: a Spanish-speaking student on a 390 px phone goes
from a lesson with the offline tutor to its end-of-lesson screen, reviews its new cards by typing and by voice,
then opens the deck and the progress page, all in Spanish (no English string of the app's own nor of the demo
lessons'), none wider than the screen, every chart label at 11 px or more as rendered; and the cards appear on the
session page as the deck task makes them, whenever it runs."""

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from lessons.demo import DEMO_PASSWORD, LESSONS_FILE, demo_seed
from practice.models import Card, CardReview, TutorSession
from tests.servers import daphne
from tests.worker import start_worker, stop_worker

from .audio import quiet, said, write_wav
from .conftest import log_in, orm, watch
from .languages import PAGE_TEXTS, EnglishStrings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LESSON_ES = "Pedir en un café de Lyon"
TUTOR = ".live-transcript .turn.tutor"
SAID = ".live-transcript .turn.tutor:not(.partial)"  # a tutor line said to its end
# Typed answers to the French demo lesson, one slip among them (a grammar correction), and what the tutor says
# next, before the following answer is typed.
ANSWERS = (
    ("Je voudrais un café, s'il vous plaît", "Et avec ça"),
    ("Je voudrait un croissant", "On dit : Je voudrais un croissant"),
    ("Je voudrais un croissant", "Autre chose"),
    ("Non merci", "Vous payez comment"),
    ("Par carte", "bonne journée"),
    ("Merci, au revoir", None),
)
# The chart labels' size as rendered: the font size times the scale of the drawing it is in.
CHART_LABELS = """() => [...document.querySelectorAll('svg.chart text')].filter((t) => t.getClientRects().length)
  .map((t) => { const svg = t.closest('svg');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return parseFloat(getComputedStyle(t).fontSize) * scale; })"""


def demo_english() -> list[str]:
    """The demo lessons' own English: titles, scenarios, objectives, the words' English meanings and the hints."""
    texts = []
    for lesson in yaml.safe_load(LESSONS_FILE.read_text())["lessons"]:
        texts += [lesson["title"], lesson["scenario"], lesson["student_scenario"], *lesson["objectives"]]
        texts += [word["translation"] for word in lesson["vocabulary"]]
        texts += [step["hint"] for step in lesson["dialogue"] if step.get("hint")]
    return [" ".join(text.split()) for text in texts]


class SpanishPages:
    """Each page of the walk: a screenshot, and what it shows that it should not."""

    def __init__(self, shots, artifacts: Path) -> None:
        self.shots, self.artifacts = shots, artifacts
        self.english = EnglishStrings("es")
        self.demo = [re.compile(rf"(?<!\w){re.escape(text)}(?!\w)") for text in demo_english()]
        self.measured: dict[str, dict] = {}

    def check(self, page, name: str) -> None:
        self.shots.take(page, name)
        seen = page.evaluate(PAGE_TEXTS)
        text = " ".join(page.evaluate("document.body.innerText").split())
        width, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        labels = page.evaluate(CHART_LABELS)
        self.measured[name] = {
            "app_english": self.english.found_in(seen["texts"], seen["blob"]),
            "demo_english": [pattern.pattern for pattern in self.demo if pattern.search(text)],
            "scroll_width": width,
            "inner_width": inner,
            "chart_labels": len(labels),
            "smallest_chart_label_px": round(min(labels), 2) if labels else None,
        }
        (self.artifacts / "measured.json").write_text(json.dumps(self.measured, indent=1, ensure_ascii=False))
        found = self.measured[name]
        assert found["app_english"] == [] and found["demo_english"] == [], (name, found)
        assert width <= inner, (name, found)
        assert not labels or min(labels) >= 11, (name, found)


def phone(browser):
    context = browser.new_context(
        viewport=PHONE, locale="es-ES", is_mobile=True, has_touch=True, extra_http_headers={"Accept-Language": "es"}
    )
    return context.new_page()


def spoken_answer_wav(folder: Path) -> Path:
    """A filler, then the second card's answer ("bonjour"), then silence: played from the review's first capture."""
    speech = quiet(600) + said("euh", language="fr-FR") + quiet(300) + said("Bonjour", language="fr-FR") + quiet(3000)
    return write_wav(folder / "answer.wav", speech)


def test_a_spanish_speaking_student_on_a_phone_goes_from_the_lesson_to_progress_all_in_spanish(
    chromium, artifacts, shots
):
    orm(demo_seed)
    pages = SpanishPages(shots, artifacts)
    with daphne(artifacts / "daphne.log") as server:
        page = phone(chromium(write_wav(artifacts / "silence.wav", quiet(1000))))
        errors = watch(page)
        log_in(page, server.url, "ana", DEMO_PASSWORD)
        pages.check(page, "dashboard")

        # The lesson, typed: its title, scenario, words and objectives are in Spanish.
        page.get_by_role("button", name=f"Empezar {LESSON_ES}").first.tap()
        page.wait_for_url(re.compile(r"/sessions/\d+/live/$"))
        page.locator(".scenario", has_text="Te sientas en un pequeño café de Lyon").wait_for()
        pages.check(page, "lesson-before-start")
        page.tap("#start")
        page.locator(SAID, has_text="Bienvenue au café").wait_for()
        for answer, next_line in ANSWERS:  # each typed once the tutor's line was heard, as a student answers
            if next_line is None:  # the last answer: the lesson then ends by itself
                page.locator(".live-side .objective.met", has_text="Decir cómo vas a pagar").wait_for()
                pages.check(page, "lesson-nearly-done")
            page.fill("#typed-text", answer)
            page.tap("#typed-send")
            if next_line:
                page.locator(SAID, has_text=next_line).last.wait_for()

        # The end-of-lesson screen, after the tutor's closing line: what went well, the correction, the words, the
        # new cards, "Review them now".
        page.wait_for_url(re.compile(r"/sessions/\d+/$"))
        page.locator("#report .report-body[data-status='ready']").wait_for()
        review_them = page.locator("#review-them")
        review_them.wait_for()
        assert page.locator("#report").get_by_text("Lo que salió bien").is_visible()
        assert "«Je voudrait un croissant» → «Je voudrais un croissant»" in page.locator("#report").inner_text()
        cards = page.locator("#new-cards .deck-cards li")
        assert cards.count() == orm(Card.objects.count) == 7  # the correction and the lesson's six words
        assert page.locator("#new-cards").get_by_text("(la cuenta)").is_visible()  # a word asks in Spanish
        pages.check(page, "end-of-lesson")

        # The review of those cards: the correction, typed, graded right, its suggested rating tapped.
        review_them.tap()
        page.wait_for_url(re.compile(r"/deck/review/\?session=\d+$"))
        review_url = page.url
        page.locator("#review-cue", has_text="Dilo correctamente").wait_for()
        pages.check(page, "review-question")
        page.fill("#id_answer", "je voudrais un croissant")
        page.tap("#check")
        page.locator("#answer-result", has_text="¡Correcto!").wait_for()
        suggested = page.locator("#rate button.suggested")
        assert suggested.get_attribute("value") == "3" and suggested.evaluate("b => b === document.activeElement")
        pages.check(page, "review-typed-graded")
        with page.expect_navigation():
            suggested.tap()
        first = orm(lambda: CardReview.objects.select_related("card").get())
        assert (first.rating, first.card.back) == (3, "Je voudrais un croissant")
        page.locator("#review-cue", has_text="hola, buenos días").wait_for()
        assert errors == []

    # The next card by voice, in a browser whose microphone says "euh… bonjour" once the review listens.
    with daphne(artifacts / "daphne-2.log") as server:
        page = phone(chromium(spoken_answer_wav(artifacts)))
        errors = watch(page)
        log_in(page, server.url, "ana", DEMO_PASSWORD)
        page.goto(server.url + "?".join(urlsplit(review_url)[2:4]))
        page.locator("#review-cue", has_text="hola, buenos días").wait_for()
        page.tap("#say")
        result = page.locator("#answer-result")
        result.wait_for(timeout=40_000)
        assert result.get_attribute("data-verdict") == "right", result.inner_text()
        assert result.locator(".badge.estimate").is_visible()  # the pronunciation estimate, labelled so
        pages.check(page, "review-spoken-graded")
        with page.expect_navigation():
            page.locator("#rate button.suggested").tap()
        spoken = orm(lambda: CardReview.objects.select_related("card").order_by("pk").last())
        assert (spoken.rating, spoken.card.back) == (3, "bonjour")

        page.goto(f"{server.url}/deck/")
        page.locator("#count-due", has_text="2").wait_for()
        pages.check(page, "deck")
        page.goto(f"{server.url}/progress/")
        page.get_by_role("heading", name="Práctica por semana").wait_for()
        pages.check(page, "progress")
        assert pages.measured["progress"]["chart_labels"] > 0
        assert errors == []


def test_the_session_page_shows_the_new_cards_as_the_deck_task_makes_them(chromium, artifacts, shots):
    """Issue 24, defect 1: the deck task runs after the page renders (here: no worker until the page is open), and
    the page shows the cards when they come, with "Review them now"; defect 2: the deck then opens on its new cards.
    """
    orm(demo_seed)
    with daphne(artifacts / "daphne.log", env={"CELERY_TASK_ALWAYS_EAGER": "false"}) as server:
        page = chromium(write_wav(artifacts / "silence.wav", quiet(1000))).new_page(
            viewport={"width": 1280, "height": 900}, locale="en-GB"
        )
        errors = watch(page)
        log_in(page, server.url, "ana", DEMO_PASSWORD)
        page.get_by_role("button", name="Start Ordering at a café in Lyon").first.click()
        page.wait_for_url(re.compile(r"/sessions/\d+/live/$"))
        page.click("#start")
        page.locator(TUTOR, has_text="Bienvenue au café").wait_for()
        page.fill("#typed-text", "Je voudrait un café, s'il vous plaît")
        page.press("#typed-text", "Enter")
        page.locator(".live-transcript .correction").wait_for()
        page.click("#end")
        page.wait_for_url(re.compile(r"/sessions/\d+/$"))
        page.locator("#new-cards", has_text="Your new cards are being made").wait_for()
        assert page.locator("#new-cards").get_by_text("No new card").count() == 0
        shots.take(page, "cards-being-made")
        assert orm(Card.objects.count) == 0

        worker = start_worker()
        try:
            page.locator("#review-them").wait_for(timeout=60_000)  # the page updated itself
            made = orm(Card.objects.count)
            assert made > 0 and page.locator("#new-cards .deck-cards li").count() == made
            page.locator("#report .report-body[data-status='ready']").wait_for(timeout=60_000)
            shots.take(page, "cards-made")
        finally:
            stop_worker(worker)

        page.goto(f"{server.url}/deck/")
        assert page.locator(".tabs a[aria-current='page']").inner_text() == "New"
        assert page.locator(".deck-table tbody tr").count() == made
        shots.take(page, "deck-opens-on-its-new-cards")
        assert errors == []
    session = orm(lambda: TutorSession.objects.get())
    assert session.deck_updated_at is not None
