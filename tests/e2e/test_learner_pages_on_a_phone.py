"""A learner's pages on a 390 px phone, in Chromium (issue 24): the menu, the deck's table and the charts are whole
(defect 6); the progress page draws no retention where nothing was reviewed and counts practice time as the
dashboard and the session page do, and the deck's counts have their plurals (defect 8); a placement above every
lesson still leads to the nearest ones, its table fits the screen, and the costs page shows the time the offline
tutor was used (defect 11)."""

import re

import pytest
from django.utils import timezone

from accounts.models import User
from lessons.demo import DEMO_PASSWORD, DEMO_TEACHER, demo_seed
from lessons.models import Lesson
from practice.placement import tasks_for
from practice.services.deck import deck_update
from practice.services.progress import progress_record_ended_session
from tests.practice.student_data import correction, finished_session, turn
from tests.servers import daphne

from .audio import quiet, write_wav
from .conftest import log_in, orm, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Anything of the page's main content or menu whose right edge is past the screen's (a stacked table's head is for
# screen readers only: each value carries its column's name on a phone).
CUT_OFF = """() => [...document.querySelectorAll('.main-nav a, main th, main td, main a, main button')]
  .filter((el) => !el.closest('.stacked-table thead'))
  .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > innerWidth + 0.5)
  .map((el) => el.outerHTML.slice(0, 80))"""
CHART_LABELS = """() => [...document.querySelectorAll('svg.chart text')].filter((t) => t.getClientRects().length)
  .map((t) => { const svg = t.closest('svg');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return parseFloat(getComputedStyle(t).fontSize) * scale; })"""


def phone(browser, language: str):
    headers = {"Accept-Language": language}
    context = browser.new_context(
        viewport=PHONE, locale=language, is_mobile=True, has_touch=True, extra_http_headers=headers
    )
    return context.new_page()


def a_session_of_45_6_seconds_with_its_cards(username: str) -> int:
    student, lesson = User.objects.get(username=username), Lesson.objects.get(language="fr-FR")
    session = finished_session(student, lesson, day=timezone.localdate(), minutes=0.76)  # 45.6 s
    turn(session, 0, "tutor", "Bonjour ! Bienvenue au café. Qu'est-ce que vous voulez boire ?")
    turn(session, 1, "student", "Je voudrait un café")
    correction(session, 1)
    progress_record_ended_session(session=session)
    deck_update(session_id=session.pk)
    return session.pk


def test_on_a_phone_the_menu_the_deck_table_and_the_charts_are_whole(chromium, artifacts, shots):
    """Defect 6, in French, whose menu is the longest of a student's: nothing past the screen's edge, and chart
    labels of 11 px or more as rendered (a 640-unit drawing scaled to a phone wrote them at 6 px)."""
    orm(demo_seed)
    orm(a_session_of_45_6_seconds_with_its_cards, "chloe")
    with daphne(artifacts / "daphne.log") as server:
        page = phone(chromium(write_wav(artifacts / "silence.wav", quiet(1000))), "fr")
        errors = watch(page)
        log_in(page, server.url, "chloe", DEMO_PASSWORD)
        for name, path in (("dashboard", "/"), ("deck", "/deck/?show=all"), ("progress", "/progress/")):
            page.goto(server.url + path)
            shots.take(page, name)
            assert page.evaluate(CUT_OFF) == [], name
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
            if name == "deck":  # every column of a card on the screen, each under its name
                assert page.locator(".deck-table td[data-label='Prochaine révision']").first.is_visible()
                assert page.locator(".deck-table td[data-label='Origine']").first.is_visible()
        labels = page.evaluate(CHART_LABELS)
        assert labels and min(labels) >= 11, min(labels)
        assert errors == []


def test_progress_draws_no_retention_without_reviews_and_counts_time_as_the_other_pages_do(chromium, artifacts, shots):
    """Defect 8: no flat 0 % line under "nothing yet", a 0-100 axis under "%"; one session of 45.6 s is "46 s" on the
    dashboard, the progress table and the session page alike; "0 aprendidas" in Spanish."""
    orm(demo_seed)
    session_id = orm(a_session_of_45_6_seconds_with_its_cards, "ana")
    with daphne(artifacts / "daphne.log") as server:
        page = phone(chromium(write_wav(artifacts / "silence.wav", quiet(1000))), "es")
        errors = watch(page)
        log_in(page, server.url, "ana", DEMO_PASSWORD)
        assert page.locator(".stat", has_text="de práctica esta semana").inner_text().startswith("46 s")
        page.goto(f"{server.url}/progress/")
        retention = page.locator("#chart-retention-heading").locator("xpath=..")
        drawing = retention.locator("svg.chart:visible")
        assert drawing.locator("polyline").count() == 0 and drawing.locator("circle").count() == 0
        ticks = drawing.locator("text.tick[text-anchor='end']:not([transform])").all_text_contents()
        assert ticks[0] == "0" and ticks[-1] == "100"
        by_language = page.locator("#languages-heading").locator("xpath=..")
        assert by_language.locator("td.num", has_text=re.compile(r"^46 s$")).count() == 1  # its time
        shots.take(page, "progress")
        page.goto(f"{server.url}/sessions/{session_id}/")
        assert "46 s" in page.locator(".session-meta").inner_text()
        page.goto(f"{server.url}/deck/")
        assert page.locator(".stat", has=page.locator("#count-learned")).inner_text().split() == ["0", "aprendidas"]
        shots.take(page, "deck")
        assert errors == []


def test_a_placement_above_every_lesson_leads_to_the_nearest_and_the_costs_show_the_time(chromium, artifacts, shots):
    """Defect 11: B1 in French, with only an A1 lesson: the result and the dashboard offer it, and the result's table
    fits the phone; the teacher's costs page, with the offline tutor, shows sessions and minutes, not only $0.00."""
    orm(demo_seed)
    orm(a_session_of_45_6_seconds_with_its_cards, "ben")
    answers = {task.key: task.answers[0] for task in tasks_for("fr") if task.band in ("A1", "A2", "B1")}
    with daphne(artifacts / "daphne.log") as server:
        browser = chromium(write_wav(artifacts / "silence.wav", quiet(1000)))
        page = phone(browser, "en")
        errors = watch(page)
        log_in(page, server.url, "ben", DEMO_PASSWORD)
        page.goto(f"{server.url}/placement/fr/")
        for key, answer in answers.items():
            page.fill(f"#id_{key}", answer)
        page.get_by_role("button", name="See my level").tap()
        page.get_by_role("heading", name="Your level in French: B1").wait_for()
        assert page.get_by_role("heading", name="No lesson at B1 yet: the nearest ones").is_visible()
        assert page.get_by_role("button", name="Start Ordering at a café in Lyon").is_visible()
        table = page.locator("table.table").bounding_box()
        assert table["x"] + table["width"] <= PHONE["width"]
        shots.take(page, "placement-result")
        page.goto(f"{server.url}/")
        at_level = page.locator("#level-heading").locator("xpath=..")
        assert at_level.get_by_text("No lesson at B1 yet: the nearest ones.").is_visible()
        assert at_level.get_by_role("button", name="Start Ordering at a café in Lyon").is_visible()
        shots.take(page, "dashboard")
        assert errors == []

        teacher = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        teacher_errors = watch(teacher)
        log_in(teacher, server.url, DEMO_TEACHER[0], DEMO_PASSWORD)
        teacher.goto(f"{server.url}/teach/costs/")
        teacher.get_by_role("heading", name="Time with the tutor per month (nothing was spent)").wait_for()
        assert teacher.locator("td", has_text="1 session · 46 s").count() == 2  # Ben's class and Ben
        shots.take(teacher, "costs-without-money")
        assert teacher_errors == []
