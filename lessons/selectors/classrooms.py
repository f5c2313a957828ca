"""Reads for classes: the classes a teacher manages or a student is in, rosters, assignments and the class
a join code names."""

from django.db.models import Count, F, Max, Q, QuerySet

from accounts.models import User
from accounts.selectors import BY_NAME

from ..models import Assignment, Classroom


def classrooms_of_student(*, student: User) -> QuerySet[Classroom]:
    return Classroom.objects.filter(enrollments__student=student).select_related("teacher")


def assignments_for_student(*, student: User) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(classroom__enrollments__student=student, lesson__published=True)
        .select_related("lesson", "classroom")
        .order_by("due_at", "lesson__title")
    )


def classrooms_managed_by(*, user: User) -> QuerySet[Classroom]:
    """A teacher manages their own classes; staff manage every class."""
    rooms = Classroom.objects.all() if user.is_operator else Classroom.objects.filter(teacher=user)
    return rooms.select_related("teacher").annotate(
        student_count=Count("enrollments", distinct=True),
        assignment_count=Count("assignments", distinct=True),
    )


def classroom_roster(*, classroom: Classroom) -> QuerySet[User]:
    """The class's students, each with their number of sessions and when they last practised."""
    return (
        User.objects.filter(enrollments__classroom=classroom)
        .annotate(
            session_count=Count("tutor_sessions", distinct=True),
            last_session_at=Max("tutor_sessions__created_at"),
            joined_at=Max("enrollments__joined_at", filter=Q(enrollments__classroom=classroom)),
        )
        .order_by(*BY_NAME)
    )


def classroom_assignments(*, classroom: Classroom) -> QuerySet[Assignment]:
    return classroom.assignments.select_related("lesson").order_by(F("due_at").asc(nulls_last=True), "lesson__title")


def classroom_by_code(*, join_code: str) -> Classroom | None:
    """The class a join link names; codes are forgiving about case, spaces and dashes."""
    code = join_code.strip().upper().replace(" ", "").replace("-", "")
    return Classroom.objects.select_related("teacher").filter(join_code=code).first()


def students_of_teacher(*, user: User) -> QuerySet[User]:
    """Everyone enrolled in the teacher's classes (every student, for staff)."""
    if user.is_operator:
        return User.objects.filter(enrollments__isnull=False).distinct().order_by(*BY_NAME)
    return User.objects.filter(enrollments__classroom__teacher=user).distinct().order_by(*BY_NAME)
