"""A month's spend by class, by student and for the site, summed by the database (on SQLite and PostgreSQL
alike), with unpriced usage marked rather than counted as free."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from lessons.services.classrooms import classroom_create, classroom_join
from practice.selectors.costs import (
    Spend,
    classrooms_spend_this_month,
    costs_overview,
    month_start,
    months_back,
    site_spend_this_month,
)
from tests.conftest import make_user
from tests.practice.factories import spent


def last_month() -> dt.datetime:
    return month_start() - dt.timedelta(days=3)


def test_the_months_shown_end_with_this_one_and_cross_a_year():
    assert months_back(3, dt.date(2026, 2, 17)) == [dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    assert month_start(dt.date(2026, 2, 17)) == timezone.make_aware(dt.datetime(2026, 2, 1))


def test_a_classs_month_is_its_students_usage_of_this_month_only(student, other_student, lesson, classroom):
    spent(student, lesson, "1.25")
    spent(student, lesson, "0.50")
    spent(student, lesson, "9.00", when=last_month())
    spent(other_student, lesson, "7.00")  # in no class
    assert classrooms_spend_this_month(classrooms=[classroom])[classroom.pk] == Spend(Decimal("1.75"), False)
    assert site_spend_this_month() == Spend(Decimal("8.75"), False)
    spent(student, lesson, None)
    assert classrooms_spend_this_month(classrooms=[classroom])[classroom.pk] == Spend(Decimal("1.75"), True)


def test_the_overview_sums_each_class_and_student_per_month(teacher, student, lesson, classroom):
    second = classroom_create(teacher=teacher, name="Second")
    ben = make_user("ben")
    classroom_join(student=ben, join_code=second.join_code)
    classroom_join(student=student, join_code=second.join_code)
    spent(student, lesson, "1.00")
    spent(student, lesson, "2.00", when=last_month())
    spent(ben, lesson, "0.30")
    spent(ben, lesson, None, when=last_month())
    overview = costs_overview(user=teacher)
    assert len(overview.months) == 6 and overview.months[-1] == timezone.localdate().replace(day=1)
    rows = {row.label: row.months[-2:] for row in overview.classrooms}
    assert rows == {
        "Evening group": (Spend(Decimal("2.00")), Spend(Decimal("1.00"))),
        # A student in two classes counts for both.
        "Second": (Spend(Decimal("2.00"), True), Spend(Decimal("1.30"))),
    }
    students = {row.student: row for row in overview.students}
    assert students[student].total == Spend(Decimal("3.00")) and students[ben].total == Spend(Decimal("0.30"), True)
    assert overview.site is None


def test_a_teacher_sees_only_their_classes_and_an_operator_every_one_and_the_site(
    teacher, other_teacher, staff, student, other_student, lesson, classroom
):
    theirs = classroom_create(teacher=other_teacher, name="Theirs")
    classroom_join(student=other_student, join_code=theirs.join_code)
    spent(student, lesson, "1.00")
    spent(other_student, lesson, "4.00")
    mine = costs_overview(user=teacher)
    assert [row.label for row in mine.classrooms] == ["Evening group"]
    assert [row.student for row in mine.students] == [student]
    everything = costs_overview(user=staff)
    assert {row.label for row in everything.classrooms} == {"Evening group", "Theirs"}
    assert {row.student for row in everything.students} == {student, other_student}
    assert everything.site.months[-1] == Spend(Decimal("5.00"))
