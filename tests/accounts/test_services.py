import pytest
from django.core.exceptions import ValidationError

from lessons.models import Enrollment
from tutor.accounts.models import Role, User
from tutor.accounts.services import student_sign_up, user_create


@pytest.mark.django_db
def test_user_create_rejects_a_weak_password():
    with pytest.raises(ValidationError):
        user_create(username="weak", password="1234")
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.django_db
def test_staff_role_grants_django_staff_flag():
    user = user_create(username="op", password="a-long-test-password", role=Role.STAFF)
    assert user.is_staff and user.is_operator and not user.is_teacher


def test_sign_up_with_a_join_code_enrolls_the_student(classroom):
    user = student_sign_up(username="newbie", password="a-long-test-password", join_code=classroom.join_code.lower())
    assert user.is_student
    assert Enrollment.objects.filter(student=user, classroom=classroom).exists()


@pytest.mark.django_db
def test_sign_up_with_an_unknown_code_creates_nobody():
    with pytest.raises(ValidationError) as caught:
        student_sign_up(username="lost", password="a-long-test-password", join_code="NOPE1234")
    assert "join_code" in caught.value.message_dict
    assert not User.objects.filter(username="lost").exists()
