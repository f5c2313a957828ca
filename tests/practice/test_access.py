import pytest

from practice.access import session_for_viewer, sessions_visible_to
from practice.models import TutorSession
from practice.services.sessions import session_create


@pytest.fixture
def sessions(classroom, student, other_student, lesson):
    return (
        session_create(student=student, lesson=lesson),
        session_create(student=other_student, lesson=lesson),
    )


def test_a_student_sees_only_their_own_sessions(sessions, student):
    mine, theirs = sessions
    assert list(sessions_visible_to(user=student)) == [mine]
    with pytest.raises(TutorSession.DoesNotExist):
        session_for_viewer(user=student, session_id=theirs.pk)


def test_a_teacher_sees_only_sessions_of_their_classes(sessions, teacher, other_teacher):
    mine, _outside = sessions
    assert list(sessions_visible_to(user=teacher)) == [mine]
    assert not sessions_visible_to(user=other_teacher).exists()


def test_staff_see_every_session(sessions, staff):
    assert sessions_visible_to(user=staff).count() == 2
