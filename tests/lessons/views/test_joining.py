"""Joining a class: signing up with a code, the join link a teacher shares (/accounts/join/<code>/) and
the join form."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.conftest import PASSWORD


def test_a_visitor_is_offered_sign_up_with_the_code_or_log_in(client, classroom):
    body = client.get(reverse("join_link", args=[classroom.join_code])).content.decode()
    assert "Join Evening group" in body
    assert f"/accounts/sign-up/?code={classroom.join_code}" in body
    assert f"/accounts/login/?next=/accounts/join/{classroom.join_code}/" in body


def test_a_logged_in_student_joins_in_one_click(client, classroom, other_student):
    client.force_login(other_student)
    page = client.get(reverse("join_link", args=[classroom.join_code.lower()])).content.decode()
    assert reverse("join_class") in page and f'value="{classroom.join_code}"' in page
    client.post(reverse("join_class"), {"join_code": classroom.join_code})
    assert classroom.enrollments.filter(student=other_student).exists()


def test_a_student_already_in_the_class_is_told_so(client, classroom, student):
    client.force_login(student)
    assert "already in this class" in client.get(reverse("join_link", args=[classroom.join_code])).content.decode()


def test_a_teacher_is_told_only_students_join(client, classroom, other_teacher):
    client.force_login(other_teacher)
    body = client.get(reverse("join_link", args=[classroom.join_code])).content.decode()
    assert "Only student accounts join classes" in body and f'action="{reverse("join_class")}"' not in body


def test_an_unknown_code_is_a_404_that_says_what_to_do(client, db):
    response = client.get(reverse("join_link", args=["NOPE2345"]))
    assert response.status_code == 404 and "ask them for the new link" in response.content.decode()


def test_sign_up_page_creates_student_logs_in_and_joins_class(client, classroom):
    response = client.post(
        reverse("sign_up"),
        {
            "username": "zoe",
            "email": "zoe@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "native_language": "de",
            "join_code": classroom.join_code,
        },
    )
    assert response.status_code == 302
    zoe = User.objects.get(username="zoe")
    assert zoe.is_student and zoe.native_language == "de"
    assert classroom.enrollments.filter(student=zoe).exists()
    home = client.get(reverse("home"))
    assert "Hello, zoe" in home.content.decode()


@pytest.mark.django_db
def test_sign_up_with_bad_code_shows_the_error_on_the_field(client):
    response = client.post(
        reverse("sign_up"),
        {
            "username": "zoe",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "native_language": "en",
            "join_code": "WRONG123",
        },
    )
    assert response.status_code == 200
    assert "No class has the code WRONG123" in response.content.decode()
    assert not User.objects.filter(username="zoe").exists()


def test_join_class_form_enrolls_and_reports_bad_codes(client, student, teacher):
    from lessons.services.classrooms import classroom_create

    room = classroom_create(teacher=teacher, name="Morning group")
    client.force_login(student)
    bad = client.post(reverse("join_class"), {"join_code": "XXXXXXXX"}, follow=True)
    assert "No class has the code" in bad.content.decode()
    good = client.post(reverse("join_class"), {"join_code": room.join_code}, follow=True)
    assert "You joined Morning group" in good.content.decode()
