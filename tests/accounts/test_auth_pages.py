import re

from django.core import mail
from django.urls import reverse

from ..conftest import PASSWORD


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
