"""The student's home page: assignments with start or continue, practice numbers, catalog filters."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from lessons.models import Assignment
from lessons.services.lessons import lesson_create
from practice.services.sessions import session_create
from tests.conftest import lesson_spec

from ..student_data import finished_session, word


def home(client, **params) -> str:
    return client.get(reverse("home"), params).content.decode()


def test_an_assigned_lesson_offers_start_then_continue(client, student, classroom, lesson):
    client.force_login(student)
    start = reverse("session_start", args=[lesson.pk])
    body = home(client)
    assert f'action="{start}"' in body and "Start Café in Lyon" in body
    session_create(student=student, lesson=lesson)
    assert "Continue Café in Lyon" in home(client)


def test_due_dates_show_and_a_past_one_is_marked_late(client, student, classroom, lesson):
    Assignment.objects.filter(lesson=lesson).update(due_at=timezone.now() - dt.timedelta(days=2))
    client.force_login(student)
    body = home(client)
    assert "was due" in body and "overdue" in body


def test_the_practice_numbers_are_the_students_own(client, student, other_student, lesson):
    mine = finished_session(student, lesson, day=timezone.localdate(), minutes=14)
    word(mine, "un café", "learned")
    finished_session(other_student, lesson, day=timezone.localdate(), minutes=50)
    client.force_login(student)
    body = home(client)
    assert '<span class="stat-value">14 min</span>' in body  # time this week
    assert '<span class="stat-value">1</span>' in body  # streak and words learned
    assert "50" not in body.split("stats")[1].split("</ul>")[0]


def test_the_catalog_filters_by_language_and_level(client, student, teacher, lesson):
    lesson_create(spec=lesson_spec(title="Tapas in Seville", language="es-ES", level="A2"), author=teacher)
    lesson_create(spec=lesson_spec(title="Bakery in Paris", language="fr", level="A2"), author=teacher)
    client.force_login(student)
    french = home(client, language="fr")
    assert "Café in Lyon" in french and "Bakery in Paris" in french and "Tapas in Seville" not in french
    french_a2 = home(client, language="fr", level="A2")
    assert "Bakery in Paris" in french_a2 and "Café in Lyon" not in french_a2
    assert '<option value="es">Spanish</option>' in french_a2


def test_an_unknown_filter_shows_the_whole_catalog(client, student, lesson):
    client.force_login(student)
    assert "Café in Lyon" in home(client, language="xx", level="Z9")


def test_draft_lessons_never_reach_a_students_catalog(client, student, teacher, lesson):
    lesson_create(spec=lesson_spec(title="Secret draft", published=False), author=teacher)
    client.force_login(student)
    assert "Secret draft" not in home(client)


def test_teachers_still_get_their_own_home(client, teacher, classroom):
    client.force_login(teacher)
    body = home(client)
    assert classroom.join_code in body and "stat-value" not in body
