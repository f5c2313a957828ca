"""Reads for live sessions; every query that a person triggers goes through sessions_visible_to."""

from django.db.models import Prefetch, Q, QuerySet

from tutor.accounts.models import User

from .models import Correction, SessionComment, Turn, TutorSession


def sessions_visible_to(*, user: User) -> QuerySet[TutorSession]:
    """A student sees their own sessions, a teacher those of their classes' students, staff all."""
    sessions = TutorSession.objects.select_related("lesson", "student")
    if user.is_operator:
        return sessions
    if user.is_teacher:
        return sessions.filter(Q(student=user) | Q(student__enrollments__classroom__teacher=user)).distinct()
    return sessions.filter(student=user)


def session_for_viewer(*, user: User, session_id: int) -> TutorSession:
    """The session, or TutorSession.DoesNotExist when it is not the user's to see."""
    return sessions_visible_to(user=user).get(pk=session_id)


def sessions_of_student(*, student: User) -> QuerySet[TutorSession]:
    return TutorSession.objects.filter(student=student).select_related("lesson").order_by("-created_at")


def session_transcript(*, session: TutorSession) -> list[Turn]:
    return list(session.turns.order_by("index"))


def session_detail(*, session_id: int) -> TutorSession:
    """One session with everything its pages show, in a fixed number of queries."""
    return (
        TutorSession.objects.select_related("lesson", "student")
        .prefetch_related(
            Prefetch("turns", queryset=Turn.objects.order_by("index")),
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at")),
            "vocabulary_events",
            "summaries",
            "usage",
            Prefetch("comments", queryset=SessionComment.objects.select_related("author")),
        )
        .get(pk=session_id)
    )


def live_session_of(*, student: User, lesson_id: int) -> TutorSession | None:
    """The student's unfinished session of this lesson, so "continue" carries on instead of starting over."""
    return (
        TutorSession.objects.filter(student=student, lesson_id=lesson_id, status__in=["created", "live"])
        .order_by("-created_at")
        .first()
    )
