"""Who may download whose data and erase whom: a person only their own archive; a student's teacher or staff
erase them, after a confirmation page, with the CSRF token; everyone else finds nothing."""

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.practice.factories import reviewable_session

pytestmark = pytest.mark.django_db


def test_a_student_downloads_their_own_data_and_only_theirs(client, student, other_student, lesson, classroom):
    mine = reviewable_session(student, lesson)
    theirs = reviewable_session(other_student, lesson)
    client.force_login(student)
    page = client.get(reverse("my_data"))
    assert page.status_code == 200 and reverse("my_data_export") in page.content.decode()
    response = client.get(reverse("my_data_export"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    sessions = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("sessions.json"))
    assert [s["id"] for s in sessions] == [mine.pk] and theirs.pk != mine.pk


def test_visitors_are_sent_to_log_in_for_data(client):
    for name in ("my_data", "my_data_export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_teacher_erases_their_student_after_confirming(client, teacher, student, classroom, lesson):
    reviewable_session(student, lesson)
    client.force_login(teacher)
    url = reverse("teach:learner_erase", args=[student.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "csrfmiddlewaretoken" in confirm.content.decode()
    assert User.objects.filter(pk=student.pk).exists()  # looking is not erasing
    response = client.post(url)
    assert response.status_code == 302 and not User.objects.filter(pk=student.pk).exists()


def test_an_erasure_without_the_csrf_token_is_refused(teacher, student, classroom):
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    assert client.post(reverse("teach:learner_erase", args=[student.pk])).status_code == 403
    assert User.objects.filter(pk=student.pk).exists()


def test_only_a_students_own_teacher_or_staff_may_erase_them(
    client, student, other_teacher, other_student, staff, teacher, classroom
):
    url = reverse("teach:learner_erase", args=[student.pk])
    client.force_login(other_teacher)
    assert client.post(url).status_code == 404
    client.force_login(other_student)
    assert client.post(url).status_code == 403
    client.force_login(teacher)
    assert client.post(reverse("teach:learner_erase", args=[teacher.pk])).status_code == 404  # not a student
    assert client.post(reverse("teach:learner_erase", args=[staff.pk])).status_code == 404
    assert User.objects.filter(pk=student.pk).exists()
    client.force_login(staff)
    assert client.post(url).status_code == 302 and not User.objects.filter(pk=student.pk).exists()
