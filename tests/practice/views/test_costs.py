"""The costs page: a teacher's classes and students per month, with a chart and the budgets; an operator's
every class and the site; nobody else's."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from lessons.services.classrooms import classroom_create, classroom_join
from practice.services.sessions import session_create
from tests.conftest import configure_tutor
from tests.practice.factories import budget, spent
from tests.practice.student_data import finished_session


def test_students_may_not_open_the_costs_page(client, student):
    client.force_login(student)
    assert client.get(reverse("teach:cost_overview")).status_code == 403


def test_a_teacher_sees_their_classes_and_students_with_a_chart_and_links_to_the_sessions(
    client, teacher, other_teacher, student, other_student, lesson, classroom
):
    theirs = classroom_create(teacher=other_teacher, name="Someone else's")
    classroom_join(student=other_student, join_code=theirs.join_code)
    spent(student, lesson, "1.25")
    spent(other_student, lesson, "9.99")
    client.force_login(teacher)
    response = client.get(reverse("teach:cost_overview"))
    body = response.content.decode()
    assert "Evening group" in body and "Someone else" not in body and "$9.99" not in body
    assert "$1.25" in body and 'class="chart chart-w640"' in body and "Cost per month" in body
    assert f'href="{reverse("teach:session_list")}?student={student.pk}"' in body
    assert "Whole site" not in body  # the site's spend is the operator's
    assert f'href="{reverse("teach:cost_overview")}" aria-current="page"' in body  # in the teacher's menu


def test_an_operator_sees_every_class_and_the_site_total_and_its_budget(client, settings, staff, student,
                                                                       other_student, lesson, classroom):  # fmt: skip
    settings.TUTOR_MONTHLY_BUDGET_USD = Decimal("20")
    spent(student, lesson, "1.00")
    spent(other_student, lesson, "4.00")
    client.force_login(staff)
    body = client.get(reverse("teach:cost_overview")).content.decode()
    assert "Evening group" in body and "Whole site" in body
    assert "$5.00 of $20.00 this month" in body and '<progress max="100" value="25"' in body


def test_a_spent_class_budget_is_a_notice_and_an_unpriced_month_is_a_floor(client, settings, teacher, student, lesson,
                                                                          classroom):  # fmt: skip
    budget(classroom, "1.00")
    spent(student, lesson, "1.50")
    spent(student, lesson, None)
    settings.TUTOR_OVER_BUDGET = "refuse"
    client.force_login(teacher)
    body = client.get(reverse("teach:cost_overview")).content.decode()
    assert "The budget is spent: new sessions are refused until next month." in body
    assert "≥ $1.50, some usage unpriced" in body and "a model was used whose price this site does not know" in body


def test_a_teacher_is_told_the_site_budget_is_spent_but_not_its_amount(
    client, settings, teacher, student, lesson, classroom
):
    settings.TUTOR_MONTHLY_BUDGET_USD = Decimal("1")
    spent(student, lesson, "3.00")
    client.force_login(teacher)
    body = client.get(reverse("teach:cost_overview")).content.decode()
    assert "The site's budget is spent: new sessions use the offline tutor until next month." in body
    assert "of $1.00" not in body


def test_with_the_offline_tutor_the_costs_page_shows_the_sessions_and_the_time_instead_of_only_zeros(
    client, teacher, student, lesson, classroom
):
    """Issue 24, defect 11: nothing spent, but two sessions of 12 minutes in all: each cell says so, and the chart
    shows the time."""
    finished_session(student, lesson, day=timezone.localdate(), minutes=5)
    finished_session(student, lesson, day=timezone.localdate(), minutes=7)
    client.force_login(teacher)
    response = client.get(reverse("teach:cost_overview"))
    body = response.content.decode()
    assert body.count("2 sessions · 12 min") == 2  # the class's row and the student's
    assert response.context["chart"].title == "Time with the tutor per month (nothing was spent)"
    assert response.context["chart"].rows[-1][1] == "12 min · 2 sessions"


def test_a_budget_says_what_the_sessions_in_progress_hold_of_it(client, settings, teacher, student, lesson, classroom):
    configure_tutor(settings, provider="gemini", gemini={"api_key": "test-key"})
    budget(classroom, "10.00")
    session = session_create(student=student, lesson=lesson)  # started: holds its expected cost
    client.force_login(teacher)
    body = client.get(reverse("teach:cost_overview")).content.decode()
    held = f"${session.reserved_usd:.2f}"
    assert f"$0.00 of $10.00 this month, and {held} held for the sessions in progress" in " ".join(body.split())
