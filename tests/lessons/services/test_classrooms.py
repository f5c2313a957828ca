import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from lessons.models import Assignment, Classroom, Enrollment
from lessons.services.classrooms import (
    JOIN_CODE_ALPHABET,
    assignment_create,
    assignment_remove,
    classroom_create,
    classroom_delete,
    classroom_join,
    classroom_regenerate_code,
    classroom_rename,
    student_sign_up,
)
from lessons.services.lessons import lesson_create
from tests.conftest import lesson_spec


def test_classroom_join_codes_are_unambiguous_and_unique(teacher):
    codes = {classroom_create(teacher=teacher, name=f"c{i}").join_code for i in range(20)}
    assert len(codes) == 20
    assert all(set(code) <= set(JOIN_CODE_ALPHABET) for code in codes)


def test_only_teachers_create_classes(student):
    with pytest.raises(PermissionDenied):
        classroom_create(teacher=student, name="Mine")
    assert not Classroom.objects.exists()


def test_joining_twice_is_harmless_and_codes_are_forgiving(teacher, student):
    room = classroom_create(teacher=teacher, name="Group")
    code = f" {room.join_code[:4].lower()}-{room.join_code[4:]} "
    assert classroom_join(student=student, join_code=code) == classroom_join(student=student, join_code=code)
    assert room.enrollments.count() == 1


def test_teachers_cannot_join_classes(teacher, other_teacher):
    room = classroom_create(teacher=teacher, name="Group")
    with pytest.raises(ValidationError):
        classroom_join(student=other_teacher, join_code=room.join_code)


def test_unpublished_lessons_cannot_be_assigned(teacher):
    draft = lesson_create(spec=lesson_spec(published=False), author=teacher)
    room = classroom_create(teacher=teacher, name="Group")
    with pytest.raises(ValidationError):
        assignment_create(classroom=room, lesson=draft, due_at=None)


# ---- classes ---------------------------------------------------------------------------------------


def test_a_new_join_code_keeps_the_students_and_retires_the_old_code(classroom, student, other_student):
    old = classroom.join_code
    classroom_regenerate_code(classroom=classroom)
    assert classroom.join_code != old and classroom.enrollments.filter(student=student).exists()
    with pytest.raises(ValidationError):
        classroom_join(student=other_student, join_code=old)
    classroom_join(student=other_student, join_code=classroom.join_code)


def test_renaming_a_class_refuses_a_blank_name(classroom):
    with pytest.raises(ValidationError):
        classroom_rename(classroom=classroom, name="   ")
    assert classroom_rename(classroom=classroom, name=" Mornings ").name == "Mornings"


def test_deleting_a_class_keeps_students_and_lessons(classroom, student, lesson):
    classroom_delete(classroom=classroom)
    assert not Classroom.objects.exists() and not Assignment.objects.exists()
    student.refresh_from_db()
    lesson.refresh_from_db()


def test_assigning_again_changes_the_due_date_and_removing_unassigns(classroom, lesson):
    due = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC)
    assignment = assignment_create(classroom=classroom, lesson=lesson, due_at=due)
    assert classroom.assignments.get().due_at == due
    assignment_remove(assignment=assignment)
    assert not classroom.assignments.exists()


def test_sign_up_with_a_join_code_enrolls_the_student(classroom):
    user = student_sign_up(username="newbie", password="a-long-test-password", join_code=classroom.join_code.lower())
    assert user.is_student
    assert Enrollment.objects.filter(student=user, classroom=classroom).exists()


@pytest.mark.django_db
def test_sign_up_with_an_unknown_code_creates_nobody():
    with pytest.raises(ValidationError) as caught:
        student_sign_up(username="lost", password="a-long-test-password", join_code="NOPE1234")
    assert "join_code" in caught.value.message_dict
    assert not User.objects.filter(username="lost").exists()
