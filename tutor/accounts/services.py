"""Writes for accounts: creating users and signing students up (optionally into a class)."""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .models import Role, User


def user_create(
    *,
    username: str,
    password: str,
    email: str = "",
    role: str = Role.STUDENT,
    first_name: str = "",
    native_language: str = "en",
) -> User:
    user = User(
        username=username,
        email=email,
        role=role,
        first_name=first_name,
        native_language=native_language,
        is_staff=role == Role.STAFF,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def student_sign_up(
    *, username: str, password: str, email: str = "", native_language: str = "en", join_code: str = ""
) -> User:
    """A new student, enrolled in the class whose code they gave; a bad code creates nobody."""
    from lessons.services import classroom_join

    user = user_create(
        username=username, password=password, email=email, role=Role.STUDENT, native_language=native_language
    )
    if join_code:
        classroom_join(student=user, join_code=join_code)
    return user
