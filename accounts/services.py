"""Writes for accounts: creating users (signing up into a class is lessons/services/classrooms.py)."""

from django.contrib.auth.password_validation import validate_password

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
