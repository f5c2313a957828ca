"""Shared fixtures: people in each role, a lesson with content, a class."""

from dataclasses import replace

import pytest
from django.core.cache import cache
from django.utils import translation

from accounts.models import Role
from accounts.services import user_create
from lessons.models import Lesson, Provider
from lessons.services.classrooms import assignment_create, classroom_create, classroom_join
from lessons.services.lessons import lesson_create
from lessons.spec import LessonSpec, StepSpec, VocabularySpec
from practice.provider_health import health_key

PASSWORD = "a-long-test-password"


def configure_tutor(settings, **changes) -> None:
    """Change settings.TUTOR for one test (pytest-django's `settings` undoes it): a plain value replaces a
    field, a dict changes fields of a part, e.g. configure_tutor(settings, provider="gemini",
    gemini={"api_key": "k"})."""
    tutor = settings.TUTOR
    parts = {name: replace(getattr(tutor, name), **value) if isinstance(value, dict) else value
             for name, value in changes.items()}  # fmt: skip
    settings.TUTOR = replace(tutor, **parts)


def make_user(username: str, role: str = Role.STUDENT, **extra):
    return user_create(username=username, password=PASSWORD, role=role, email=f"{username}@example.org", **extra)


def lesson_spec(**overrides) -> LessonSpec:
    fields = dict(
        title="Café in Lyon",
        language="fr-FR",
        level="A1",
        scenario="Order breakfast at a café.",
        persona_name="Camille",
        objectives=("Order a drink", "Ask for the bill"),
        published=True,
        vocabulary=(VocabularySpec("un café", "a coffee"), VocabularySpec("l'addition", "the bill")),
        dialogue=(
            StepSpec(
                "Bonjour ! Qu'est-ce que vous voulez boire ?",
                ("Je voudrais un café, s'il vous plaît",),
                "Say: je voudrais un café.",
            ),
            StepSpec("Et avec ça ?", ("Un croissant, s'il vous plaît",), "Ask for a croissant."),
        ),
    )
    fields.update(overrides)
    return LessonSpec(**fields)


@pytest.fixture
def teacher(db):
    return make_user("teacher1", Role.TEACHER, first_name="Marie")


@pytest.fixture
def other_teacher(db):
    return make_user("teacher2", Role.TEACHER)


@pytest.fixture
def student(db):
    return make_user("student1", first_name="Ana", native_language="es")


@pytest.fixture
def other_student(db):
    return make_user("student2")


@pytest.fixture
def staff(db):
    return make_user("operator", Role.STAFF)


@pytest.fixture
def lesson(teacher) -> Lesson:
    return lesson_create(spec=lesson_spec(), author=teacher)


@pytest.fixture
def classroom(teacher, student, lesson):
    """The teacher's class, with `student` enrolled and `lesson` assigned."""
    room = classroom_create(teacher=teacher, name="Evening group")
    classroom_join(student=student, join_code=room.join_code)
    assignment_create(classroom=room, lesson=lesson, due_at=None)
    return room


@pytest.fixture(autouse=True)
def providers_healthy():
    """No test inherits another's verdict that a provider is down (the cache may be Redis, shared)."""
    keys = [health_key(provider) for provider in Provider.values]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request in another one leaves it active in the thread."""
    yield
    translation.deactivate()


def pytest_collection_modifyitems(items):
    """Browser tests run last: they are the slowest, so every quick test has reported before they start."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
