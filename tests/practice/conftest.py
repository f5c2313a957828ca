"""Fixtures for practice: finished sessions of a class's student and of a student in no class."""

import pytest

from practice.models import SessionReport, TutorSession

from .factories import reviewable_session


@pytest.fixture
def reviewed(classroom, student, lesson) -> TutorSession:
    """A finished session of the class's student, with a ready report."""
    session = reviewable_session(student, lesson)
    SessionReport.objects.filter(session=session).update(
        status="ready", summary="A good start.", strengths=["Greetings"], weak_points=["Verb endings"]
    )
    return session


@pytest.fixture
def outsider_session(other_student, lesson) -> TutorSession:
    """A session of a student in nobody's class."""
    return reviewable_session(other_student, lesson)
