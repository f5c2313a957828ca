"""A report in the language of the person reading it, in Chromium (issue 24, defect 7): a Spanish-speaking student who
reads the site in German gets the report of her lesson written in German, not German headings around a Spanish body;
her French teacher sees it labelled as German and, on asking, reads it in French."""

import re

import pytest

from accounts.models import User
from lessons.demo import DEMO_PASSWORD, DEMO_TEACHER, demo_seed
from practice.models import ReportVersion, SessionReport, TutorSession
from tests.servers import daphne

from .audio import quiet, write_wav
from .conftest import log_in, orm, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TUTOR = ".live-transcript .turn.tutor:not(.partial)"


def test_a_report_is_written_in_the_language_the_student_reads_and_a_teacher_reads_it_in_theirs(
    chromium, artifacts, shots
):
    orm(demo_seed)
    assert orm(lambda: User.objects.get(username="ana").native_language) == "es"
    with daphne(artifacts / "daphne.log") as server:
        browser = chromium(write_wav(artifacts / "silence.wav", quiet(1000)))
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="de-DE")
        errors = watch(page)
        log_in(page, server.url, "ana", DEMO_PASSWORD)
        page.get_by_role("button", name="Bestellen in einem Café in Lyon beginnen").first.click()
        page.wait_for_url(re.compile(r"/sessions/\d+/live/$"))
        page.click("#start")
        page.locator(TUTOR, has_text="Bienvenue au café").wait_for()
        page.fill("#typed-text", "Je voudrais un café, s'il vous plaît")
        page.press("#typed-text", "Enter")
        page.locator(TUTOR, has_text="Et avec ça").wait_for()
        page.click("#end")
        page.wait_for_url(re.compile(r"/sessions/\d+/$"))
        report = page.locator("#report .report-body[data-status='ready']")
        report.wait_for()
        summary = report.locator(".report-summary").inner_text()
        assert summary.startswith("1 Antwort in ") and "mit Camille" in summary, summary
        assert report.get_by_text("Was gut lief").is_visible()
        assert report.locator(".report-language").count() == 0  # written in the language she reads: no label
        shots.take(page, "student-reads-it-in-german")
        assert errors == []

        session = orm(lambda: TutorSession.objects.get())
        assert (session.reader_language, orm(lambda: SessionReport.objects.get().language)) == ("de", "de")

        teacher = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        teacher_errors = watch(teacher)
        log_in(teacher, server.url, DEMO_TEACHER[0], DEMO_PASSWORD)
        teacher.goto(f"{server.url}/teach/sessions/{session.pk}/")
        label = teacher.locator(".report-language")
        assert "Rédigé en allemand" in label.inner_text().lower().replace("rédigé", "Rédigé")
        assert teacher.locator("#report-heading").locator("xpath=..").locator("p[lang='de']").first.is_visible()
        shots.take(teacher, "teacher-sees-it-labelled-german")
        with teacher.expect_navigation():
            label.get_by_role("button", name="Le lire en français").click()
        reread = teacher.locator("#report-heading").locator("xpath=..")
        assert reread.locator(".report-language").count() == 0
        assert reread.get_by_text(re.compile(r"^1 réponse en .* avec Camille")).is_visible()
        shots.take(teacher, "teacher-reads-it-in-french")
        assert orm(lambda: ReportVersion.objects.get().language) == "fr"
        assert teacher_errors == []
