"""Who may see what of a session and of a deck: the one policy that views, consumers and selectors all ask.

A student sees their own sessions and deck; a teacher those of the students in their classes (and their own
"Try it" sessions); staff see every session and deck. Watching live is for the student's teachers and staff;
the live page and socket are the student's alone (whoever else opened them could speak as the student).
"""

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from lessons.models import Enrollment

from .models import Card, TutorSession


def sessions_visible_to(*, user: User) -> QuerySet[TutorSession]:
    """Every query that a person triggers starts here."""
    sessions = TutorSession.objects.select_related("lesson", "student")
    if user.is_operator:
        return sessions
    if user.is_teacher:
        return sessions.filter(Q(student=user) | Q(student__enrollments__classroom__teacher=user)).distinct()
    return sessions.filter(student=user)


def session_for_viewer(*, user: User, session_id: int) -> TutorSession:
    """The session, or TutorSession.DoesNotExist when it is not the user's to see."""
    return sessions_visible_to(user=user).get(pk=session_id)


def may_join_live(*, user: User, session: TutorSession) -> bool:
    """Whether this user may talk in the session (its live page and socket)."""
    return user.is_authenticated and session.student_id == user.pk


def may_watch(*, user: User, session: TutorSession) -> bool:
    """Whether this user may watch the session live: a teacher of its student's class, or staff."""
    if not user.is_authenticated:
        return False
    if user.is_operator:
        return True
    return user.is_teacher and Enrollment.objects.filter(student=session.student_id, classroom__teacher=user).exists()


def session_joinable_by(*, user: User, session_id: int) -> TutorSession | None:
    """The session if the user may talk in it; None tells them nothing of it."""
    if not user.is_authenticated:
        return None
    session = TutorSession.objects.select_related("lesson", "student").filter(pk=session_id).first()
    return session if session is not None and may_join_live(user=user, session=session) else None


def session_watchable_by(*, user: User, session_id: int) -> TutorSession | None:
    """The session if the user may watch it; None tells them nothing of it."""
    if not user.is_authenticated:
        return None
    session = TutorSession.objects.select_related("lesson", "student").filter(pk=session_id).first()
    return session if session is not None and may_watch(user=user, session=session) else None


def learners_visible_to(*, user: User) -> QuerySet[User]:
    """Whose decks, levels and progress the user may see: their own, their classes' students', or all (staff)."""
    if user.is_operator:
        return User.objects.all()
    if user.is_teacher:
        return User.objects.filter(Q(pk=user.pk) | Q(enrollments__classroom__teacher=user)).distinct()
    return User.objects.filter(pk=user.pk)


def learner_for_viewer(*, user: User, student_id: int) -> User:
    """The learner, or User.DoesNotExist when they are not the user's to see."""
    return learners_visible_to(user=user).get(pk=student_id)


def cards_visible_to(*, user: User) -> QuerySet[Card]:
    return Card.objects.filter(student__in=learners_visible_to(user=user).values("pk"))


def learner_erasable_by(*, user: User, student_id: int) -> User:
    """The student if the user may erase them (privacy/services/erasure.py): a teacher of a class they are in, or
    staff; only students are erased this way. Else User.DoesNotExist, which tells nothing of them."""
    if not user.is_authenticated or not (user.is_teacher or user.is_operator):
        raise User.DoesNotExist
    students = User.objects.filter(role=Role.STUDENT, is_staff=False).exclude(pk=user.pk)
    if not user.is_operator:
        students = students.filter(enrollments__classroom__teacher=user).distinct()
    return students.get(pk=student_id)
