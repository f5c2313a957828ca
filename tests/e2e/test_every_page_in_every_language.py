"""Every page of the site in Chromium, in each language the site offers but English, as a visitor, a
student whose own language it is and their teacher: a screenshot of each, and no English string of the
app's own left on any of them (lesson content, which is the teacher's, and the tutor's English
instructions are not the app's)."""

import pytest
from django.urls import reverse

from accounts.models import User
from lessons.demo import DEMO_PASSWORD, DEMO_TEACHER, demo_seed
from lessons.models import Lesson
from lessons.services.classrooms import classroom_join
from practice.services.comments import comment_create
from practice.services.reports import report_write
from practice.services.sessions import session_create, session_mark_live
from tests.conftest import make_user
from tests.practice.factories import reviewable_session
from tests.servers import daphne

from .audio import quiet, write_wav
from .conftest import log_in, orm, watch
from .languages import PAGE_TEXTS, EnglishStrings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Whose pages each language is seen through: a student whose own language it is (their report is
# written in it), in the demo class of the demo teacher.
STUDENTS = {"fr": "chloe", "es": "ana", "de": "dana"}


def _seed() -> dict:
    seeded = demo_seed()
    room = seeded.classroom
    dana = make_user("dana", first_name="Dana", native_language="de")
    classroom_join(student=dana, join_code=room.join_code)
    teacher = User.objects.get(username=DEMO_TEACHER[0])
    lesson = Lesson.objects.order_by("pk").first()
    ids = {"class": room.pk, "code": room.join_code, "lesson": lesson.pk}
    for language, username in STUDENTS.items():
        student = User.objects.get(username=username)
        if username == "dana":
            student.set_password(DEMO_PASSWORD)
            student.save()
        done = reviewable_session(student, lesson, objectives_met=[lesson.objectives[0]])
        report_write(session_id=done.pk)
        comment_create(session=done, author=teacher, text="👍")
        live = session_create(student=student, lesson=lesson)
        ids[language] = {"done": done.pk, "live": live.pk, "student": student.pk}
    watched = session_create(student=dana, lesson=Lesson.objects.order_by("pk")[1])
    session_mark_live(session_id=watched.pk)
    ids["watched"] = watched.pk
    return ids


def _pages(ids: dict, language: str) -> dict[str, list[tuple[str, str]]]:
    own = ids[language]
    return {
        "visitor": [
            ("welcome", reverse("home")),
            ("login", reverse("login")),
            ("sign-up", reverse("sign_up")),
            ("password-reset", reverse("password_reset")),
            ("join-link", reverse("join_link", args=[ids["code"]])),
            ("not-found", "/no-such-page/"),
        ],
        "student": [
            ("dashboard", reverse("home")),
            ("history", reverse("session_history")),
            ("session", reverse("session_detail", args=[own["done"]])),
            ("progress", reverse("progress")),
            ("deck", reverse("deck")),
            ("review", reverse("deck_review")),
            ("placement", reverse("placement_list")),
            ("live", reverse("session_live", args=[own["live"]])),
            ("password-change", reverse("password_change")),
            ("my-data", reverse("my_data")),
            ("platform-lesson", reverse("lti:lesson", args=[ids["lesson"]])),
            ("join-link", reverse("join_link", args=[ids["code"]])),
            ("forbidden", reverse("teach:lesson_list")),
        ],
        "teacher": [
            ("dashboard", reverse("home")),
            ("lessons", reverse("teach:lesson_list")),
            ("lesson", reverse("teach:lesson_detail", args=[ids["lesson"]])),
            ("lesson-new", reverse("teach:lesson_create")),
            ("lesson-edit", reverse("teach:lesson_edit", args=[ids["lesson"]])),
            ("lesson-translations", reverse("teach:lesson_translations", args=[ids["lesson"]])),
            ("import", reverse("teach:lesson_import")),
            ("classes", reverse("teach:classroom_list")),
            ("class", reverse("teach:classroom_detail", args=[ids["class"]])),
            ("class-progress", reverse("teach:classroom_progress", args=[ids["class"]])),
            ("class-delete", reverse("teach:classroom_delete", args=[ids["class"]])),
            ("costs", reverse("teach:cost_overview")),
            ("sessions", reverse("teach:session_list")),
            ("review", reverse("teach:session_review", args=[own["done"]])),
            ("erase-student", reverse("teach:learner_erase", args=[own["student"]])),
            ("watch", reverse("teach:session_watch", args=[ids["watched"]])),
        ],
    }


def _failed_loads(page) -> list[str]:
    """What a page asked for and did not get (its icon, a stylesheet, a script); the pages themselves may
    be the 404 and 403 pages on purpose."""
    failed: list[str] = []
    page.on(
        "response",
        lambda r: failed.append(r.url) if r.status >= 400 and r.request.resource_type != "document" else None,
    )
    return failed


def _import_problems(page, base_url: str) -> None:
    """The import page with a file of several problems, as a teacher would see it."""
    page.goto(base_url + reverse("teach:lesson_import"))
    page.fill("#id_text", "version: 1\nlessons:\n  - title: Café\n    level: Z9\n    colour: red\n")
    page.click("main form.card button[type=submit]")
    page.locator(".import-error").wait_for()


@pytest.mark.parametrize("language", ["fr", "es", "de"])
def test_every_page_is_in_the_readers_language(chromium, artifacts, shots, language):
    ids = orm(_seed)
    english = EnglishStrings(language)
    left: dict[str, list[str]] = {}
    checked = 0
    with daphne(artifacts / "daphne.log") as server:
        browser = chromium(write_wav(artifacts / "silence.wav", quiet(1000)))
        for role, pages in _pages(ids, language).items():
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, locale=language,
                extra_http_headers={"Accept-Language": language},
            )  # fmt: skip
            page = context.new_page()
            errors = watch(page)
            failed_loads = _failed_loads(page)
            if role != "visitor":
                username = STUDENTS[language] if role == "student" else DEMO_TEACHER[0]
                log_in(page, server.url, username, DEMO_PASSWORD)
            for name, url in pages:
                page.goto(server.url + url)
                page.wait_for_load_state("networkidle")
                shots.take(page, f"{language}-{role}-{name}")
                seen = page.evaluate(PAGE_TEXTS)
                assert page.evaluate("document.documentElement.lang") == language, url
                if found := english.found_in(seen["texts"], seen["blob"]):
                    left[f"{role} {url}"] = found
                checked += 1
            if role == "teacher":
                _import_problems(page, server.url)
                shots.take(page, f"{language}-teacher-import-problems")
                seen = page.evaluate(PAGE_TEXTS)
                if found := english.found_in(seen["texts"], seen["blob"]):
                    left["teacher import problems"] = found
                checked += 1
            assert errors == [] and failed_loads == [], (errors, failed_loads)
            context.close()
    assert checked == 36
    assert left == {}
