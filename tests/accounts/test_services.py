import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role, User
from accounts.services import user_create


@pytest.mark.django_db
def test_user_create_rejects_a_weak_password():
    with pytest.raises(ValidationError):
        user_create(username="weak", password="1234")
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.django_db
def test_staff_role_grants_django_staff_flag():
    user = user_create(username="op", password="a-long-test-password", role=Role.STAFF)
    assert user.is_staff and user.is_operator and not user.is_teacher


def test_a_person_is_written_to_in_their_own_language_when_the_site_speaks_it(db):
    assert [
        user_create(username=f"u{i}", password="a-long-test-password", native_language=code).reading_language
        for i, code in enumerate(("fr-CA", "de", "es", "ja", ""))
    ] == ["fr", "de", "es", "en", "en"]
