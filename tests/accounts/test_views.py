import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD
from tutor.accounts.models import User


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


def test_login_and_logout(client, student):
    response = client.post(reverse("login"), {"username": "student1", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == student
    client.post(reverse("logout"))
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_password_reset_sends_a_working_link(client, student):
    client.post(reverse("password_reset"), {"email": student.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    new = "another-long-password"
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert client.login(username="student1", password=new)


def test_password_change_requires_the_old_password(client, student):
    client.force_login(student)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "brand-new-secret-9", "new_password2": "brand-new-secret-9"},
    )
    assert response.status_code == 200
    student.refresh_from_db()
    assert student.check_password(PASSWORD)


def test_join_class_form_enrolls_and_reports_bad_codes(client, student, teacher):
    from lessons.services import classroom_create

    room = classroom_create(teacher=teacher, name="Morning group")
    client.force_login(student)
    bad = client.post(reverse("join_class"), {"join_code": "XXXXXXXX"}, follow=True)
    assert "No class has the code" in bad.content.decode()
    good = client.post(reverse("join_class"), {"join_code": room.join_code}, follow=True)
    assert "You joined Morning group" in good.content.decode()
