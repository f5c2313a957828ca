"""Writes for classes: create, rename, new join code, delete; enrolments (joining, at sign-up or later,
and removal) and assigned lessons with due dates."""

import datetime as dt
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import user_create

from ..models import Assignment, Classroom, Enrollment, Lesson
from ..selectors.classrooms import classroom_by_code

# No 0/O or 1/I/L: a code read aloud in class or copied from a board is typed right.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 8


def _new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def classroom_create(*, teacher: User, name: str) -> Classroom:
    if not (teacher.is_teacher or teacher.is_operator):
        raise PermissionDenied(_("Only teachers create classes."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Classroom.objects.create(teacher=teacher, name=name.strip(), join_code=_new_join_code())
        except IntegrityError:
            continue
    raise RuntimeError("Could not find a free join code after 5 attempts.")


def classroom_join(*, student: User, join_code: str) -> Enrollment:
    """Enrol a student by the code the teacher shared; joining twice is harmless."""
    classroom = classroom_by_code(join_code=join_code)
    if classroom is None:
        code = join_code.strip().upper()
        raise ValidationError({"join_code": _("No class has the code %(code)s.") % {"code": code}})
    if not student.is_student:
        raise ValidationError({"join_code": _("Only students join classes.")})
    enrollment, _created = Enrollment.objects.get_or_create(classroom=classroom, student=student)
    return enrollment


def classroom_rename(*, classroom: Classroom, name: str) -> Classroom:
    classroom.name = name.strip()
    classroom.full_clean(exclude=["join_code"])
    classroom.save(update_fields=["name"])
    return classroom


def classroom_budget_set(*, classroom: Classroom, monthly_budget_usd: Decimal | None) -> Classroom:
    """None: the class has no budget of its own (the site's may still hold it)."""
    classroom.monthly_budget_usd = monthly_budget_usd
    classroom.full_clean(exclude=["join_code"])
    classroom.save(update_fields=["monthly_budget_usd"])
    return classroom


def classroom_regenerate_code(*, classroom: Classroom) -> Classroom:
    """A new code and link for a class whose code leaked; students already in it stay in it."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                classroom.join_code = _new_join_code()
                classroom.save(update_fields=["join_code"])
                return classroom
        except IntegrityError:
            continue
    raise RuntimeError("Could not find a free join code after 5 attempts.")


def classroom_delete(*, classroom: Classroom) -> None:
    """The class, its roster and its assignments go; the students' accounts and sessions stay."""
    classroom.delete()


def enrollment_remove(*, classroom: Classroom, student: User) -> None:
    Enrollment.objects.filter(classroom=classroom, student=student).delete()


def assignment_create(*, classroom: Classroom, lesson: Lesson, due_at: dt.datetime | None) -> Assignment:
    """Assign a lesson to a class, or change its due date if it is assigned already."""
    if not lesson.published:
        raise ValidationError({"lesson": _("Publish the lesson before assigning it.")})
    assignment, _created = Assignment.objects.update_or_create(
        classroom=classroom, lesson=lesson, defaults={"due_at": due_at}
    )
    return assignment


def assignment_remove(*, assignment: Assignment) -> None:
    assignment.delete()


@transaction.atomic
def student_sign_up(
    *, username: str, password: str, email: str = "", native_language: str = "en", join_code: str = ""
) -> User:
    """A new student, enrolled in the class whose code they gave; a bad code creates nobody."""
    user = user_create(
        username=username, password=password, email=email, role=Role.STUDENT, native_language=native_language
    )
    if join_code:
        classroom_join(student=user, join_code=join_code)
    return user
