"""Writes for accounts: creating users (signing up into a class is lessons/services/classrooms.py; a first sign-in
through the school's OpenID provider is accounts/oidc/backend.py)."""

from django.contrib.auth.password_validation import validate_password

from .models import Role, User


def user_create(
    *,
    username: str,
    password: str | None,
    email: str = "",
    role: str = Role.STUDENT,
    first_name: str = "",
    last_name: str = "",
    native_language: str = "en",
) -> User:
    """A new user; `password` None for one who signs in elsewhere (single sign-on, a learning platform): their
    account then has no password that could be guessed or reset."""
    user = User(
        username=username,
        email=email,
        role=role,
        first_name=first_name,
        last_name=last_name,
        native_language=native_language,
        is_staff=role == Role.STAFF,
    )
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean()
    user.save()
    return user
