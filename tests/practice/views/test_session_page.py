"""The session's page: transcript with corrections, words, objectives, comments and the report."""

import pytest
from django.urls import reverse
from django.utils import timezone

from practice.models import SessionReport
from practice.services.comments import comment_create
from practice.services.recording import note_record
from tutor.events import ObjectiveMet

from ..student_data import correction, finished_session, turn, word

RULE = "Conjugation of «vouloir»: «voudrais», not «voudrait».\nSpelling: «café»."  # two mistakes, two lines


@pytest.fixture
def session(student, lesson, classroom):
    session = finished_session(student, lesson, day=timezone.localdate())
    turn(session, 0, "tutor", "Bonjour ! Qu'est-ce que vous voulez boire ?")
    turn(session, 1, "student", "Je voudrait un café")
    turn(session, 2, "student", "")
    correction(session, 1, rule=RULE)
    word(session, "un café", "learned")
    note_record(session_id=session.pk, note=ObjectiveMet(objective="Order a drink"))
    return session


def page(client, session) -> str:
    return client.get(reverse("session_detail", args=[session.pk])).content.decode()


def test_each_correction_shows_under_the_students_line(client, student, session):
    client.force_login(student)
    body = page(client, session)
    line = body.split("Je voudrait un café", 1)[1].split("</li>", 1)[0]
    assert 'class="correction"' in line and "Je voudrais un café" in line and "Grammar" in line


def test_a_correction_says_why_with_the_rule_of_each_mistake_on_its_own_line(client, student, teacher, session):
    """Issue 24, defect 9: the student's session page and the teacher's review show each mistake's rule."""
    for viewer, url in ((student, reverse("session_detail", args=[session.pk])),
                        (teacher, reverse("teach:session_review", args=[session.pk]))):  # fmt: skip
        client.force_login(viewer)
        line = client.get(url).content.decode().split("Je voudrait un café", 1)[1].split("</li>", 1)[0]
        assert (
            'dir="auto"><span class="visually-hidden">Why: </span>'
            "Conjugation of «vouloir»: «voudrais», not «voudrait».<br>Spelling: «café».</span>"
        ) in line


def test_a_turn_heard_but_not_understood_says_so(client, student, session):
    client.force_login(student)
    assert "(heard, but not understood)" in page(client, session)


def test_words_objectives_and_the_teachers_comments_show(client, student, teacher, session):
    comment_create(session=session, author=teacher, text="Watch the verb endings!")
    client.force_login(student)
    body = page(client, session)
    assert 'class="chip learned" data-term="un café"' in body
    assert 'class="objective met" data-objective="Order a drink"' in body
    assert "Watch the verb endings!" in body and "Marie" in body


def test_a_report_being_written_says_so_and_is_polled(client, student, session):
    SessionReport.objects.create(session=session, status="running")
    client.force_login(student)
    body = page(client, session)
    assert "Your report is being written" in body and 'data-status="running"' in body
    assert reverse("session_report_json", args=[session.pk]) in body and "js/report.js" in body


def test_a_ready_report_shows_its_findings_and_the_suggested_lesson(client, student, session, lesson):
    SessionReport.objects.create(
        session=session,
        status="ready",
        summary="You ordered a coffee with confidence.",
        strengths=["Polite greetings"],
        weak_points=["Verb endings"],
        corrections_by_category={  # the shape reports.report_build writes
            "word_order": {
                "count": 2,
                "examples": [
                    {
                        "original": "un café je voudrais",
                        "corrected": "je voudrais un café",
                        "explanation": "",
                        "rule": "Word order: «je voudrais un café».",
                    }
                ],
            },
            "grammar": {"count": 1, "examples": []},
        },
        vocabulary_learned=["un café"],
        vocabulary_used=["un café", "merci"],
        objectives_met=["Order a drink"],
        suggested_lesson=lesson,
    )
    client.force_login(student)
    body = page(client, session)
    for text in ("You ordered a coffee with confidence.", "Polite greetings", "Verb endings", "Word order: 2",
                 "«un café je voudrais» → «je voudrais un café»", "Grammar: 1",
                 '<span class="rule" dir="auto">Word order: «je voudrais un café».</span>'):  # fmt: skip
        assert text in body
    assert body.index("Word order: 2") < body.index("Grammar: 1")  # most frequent first
    assert reverse("session_start", args=[lesson.pk]) in body


def test_the_students_teacher_and_staff_see_the_page_others_do_not(
    client, session, teacher, other_teacher, other_student, staff
):
    for viewer, status in ((teacher, 200), (staff, 200), (other_teacher, 404), (other_student, 404)):
        client.force_login(viewer)
        assert client.get(reverse("session_detail", args=[session.pk])).status_code == status


def test_the_teacher_reads_the_students_name_not_you(client, teacher, session):
    client.force_login(teacher)
    body = page(client, session)
    assert "Ana" in body and ">You<" not in body


def test_the_session_page_needs_a_login(client, session):
    response = client.get(reverse("session_detail", args=[session.pk]))
    assert response.status_code == 302 and reverse("login") in response.url
