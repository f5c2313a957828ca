"""The join link a teacher shares: /accounts/join/<code>/."""

from django.urls import reverse


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
    assert "Only student accounts join classes" in body and reverse("join_class") not in body


def test_an_unknown_code_is_a_404_that_says_what_to_do(client, db):
    response = client.get(reverse("join_link", args=["NOPE2345"]))
    assert response.status_code == 404 and "ask them for the new link" in response.content.decode()
