"""The budget policy: a new session that would call a paid service runs on the offline tutor, or is refused,
once this month's spend of the student's class or of the site, with what the sessions still running hold back,
has reached its budget; nothing else is held. Sessions started at once cannot all pass a budget with room for one."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from lessons.services.classrooms import classroom_create, classroom_join
from practice.budgets import BudgetSpent, budgets_reached_for, classroom_budgets, tutor_for_new_session
from practice.models import TutorSession, UsageRecord
from practice.selectors.costs import month_start
from practice.services.sessions import session_create, session_end
from tests.conftest import configure_tutor, make_user
from tests.practice.factories import budget, spent


@pytest.fixture(autouse=True)
def gemini_key(settings):
    """A networked provider is the site's default: sessions would cost money."""
    configure_tutor(settings, provider="gemini", gemini={"api_key": "test-key"})


def test_within_every_budget_a_new_session_runs_on_the_networked_provider(student, lesson, classroom):
    budget(classroom, "5.00")
    spent(student, lesson, "4.99")
    session = session_create(student=student, lesson=lesson)
    assert (session.provider, session.offline_for_budget) == ("gemini", False)


def test_a_spent_class_budget_puts_new_sessions_on_the_offline_tutor(student, lesson, classroom):
    budget(classroom, "5.00")
    spent(student, lesson, "3.00")
    spent(student, lesson, "2.00")
    session = session_create(student=student, lesson=lesson)
    assert (session.provider, session.model, session.offline_for_budget) == ("offline", "offline", True)


def test_refuse_refuses_a_new_session_once_the_class_budget_is_spent(settings, student, lesson, classroom):
    settings.TUTOR_OVER_BUDGET = "refuse"
    budget(classroom, "1.00")
    spent(student, lesson, "1.50")
    before = TutorSession.objects.count()
    with pytest.raises(BudgetSpent, match="budget is spent"):
        session_create(student=student, lesson=lesson)
    assert TutorSession.objects.count() == before


def test_the_site_budget_holds_a_student_in_no_class(settings, other_student, lesson):
    settings.TUTOR_MONTHLY_BUDGET_USD = Decimal("2")
    spent(other_student, lesson, "1.00")
    assert tutor_for_new_session(student=other_student, minutes=15).provider == "gemini"
    spent(other_student, lesson, "1.00")
    assert tutor_for_new_session(student=other_student, minutes=15).offline_for_budget


def test_last_months_spend_and_unpriced_usage_do_not_count(student, lesson, classroom):
    budget(classroom, "1.00")
    spent(student, lesson, "50.00", when=month_start() - dt.timedelta(minutes=1))
    spent(student, lesson, None)
    assert budgets_reached_for(student=student) == []
    [state] = classroom_budgets(classrooms=[classroom])
    assert state.spent.usd == 0 and state.spent.unpriced and state.percent == 0


def test_a_student_in_two_classes_is_held_by_either_and_others_are_not(
    teacher, student, other_student, lesson, classroom
):
    second = classroom_create(teacher=teacher, name="Second")
    classroom_join(student=student, join_code=second.join_code)
    classroom_join(student=other_student, join_code=second.join_code)
    budget(classroom, "1.00")
    spent(student, lesson, "1.00")  # counts for both of the student's classes; only the first has a budget
    assert [b.classroom for b in budgets_reached_for(student=student)] == [classroom]
    assert budgets_reached_for(student=other_student) == []  # their class has no budget


def test_a_session_on_the_offline_tutor_anyway_is_never_refused(settings, student, lesson, classroom):
    configure_tutor(settings, provider="offline")
    settings.TUTOR_OVER_BUDGET = "refuse"
    budget(classroom, "0")
    session = session_create(student=student, lesson=lesson)
    assert (session.provider, session.offline_for_budget) == ("offline", False)


def test_a_budget_of_zero_is_spent_at_once_and_its_bar_is_full(student, lesson, classroom):
    budget(classroom, "0")
    [state] = classroom_budgets(classrooms=[classroom])
    assert state.reached and state.percent == 100
    assert tutor_for_new_session(student=student, minutes=15).offline_for_budget


def test_the_bar_shows_the_share_spent(student, lesson, classroom):
    budget(classroom, "8.00")
    spent(student, lesson, "2.00")
    [state] = classroom_budgets(classrooms=[classroom])
    assert (state.percent, state.reached) == (25, False)


def test_a_started_session_holds_its_expected_cost_until_it_ends(settings, student, lesson, classroom):
    expected = settings.TUTOR.session_estimate_usd("gemini", "gemini-3.8-live", minutes=lesson.max_minutes)
    assert expected > 0
    budget(classroom, str(2 * expected))
    first = session_create(student=student, lesson=lesson)
    assert (first.provider, first.reserved_usd) == ("gemini", expected)
    [state] = classroom_budgets(classrooms=[classroom])
    assert (state.spent.usd, state.held, state.percent) == (0, expected, 50)
    second = session_create(student=student, lesson=lesson)
    third = session_create(student=student, lesson=lesson)  # nothing spent yet, but both hold their share
    assert (second.provider, third.provider, third.offline_for_budget) == ("gemini", "offline", True)
    assert third.reserved_usd is None  # the offline tutor costs nothing: it holds nothing
    # What a session spends is no longer held twice; once it ends it holds nothing.
    UsageRecord.objects.create(session=first, provider="gemini", model="gemini-3.8-live", cost_usd=Decimal("0.50"))
    [state] = classroom_budgets(classrooms=[classroom])
    assert state.spent.usd == Decimal("0.50") and state.held == 2 * expected - Decimal("0.50")
    session_end(session_id=first.pk, reason="student")
    [state] = classroom_budgets(classrooms=[classroom])
    assert state.held == expected and not state.reached
    assert session_create(student=student, lesson=lesson).provider == "gemini"


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_starts_with_room_for_two_start_two_on_the_paid_service(settings, lesson):
    """Ten students press Start at once with the site's budget left for two sessions: the check and the start are
    one step, each start holds its expected cost, so two go to Gemini and eight to the offline tutor. On SQLite and,
    with DATABASE_URL, on PostgreSQL (its advisory lock)."""
    students = [make_user(f"racer{n}") for n in range(10)]
    expected = settings.TUTOR.session_estimate_usd("gemini", "gemini-3.8-live", minutes=lesson.max_minutes)
    earlier = spent(students[0], lesson, "3.00").session  # spent already this month
    settings.TUTOR_MONTHLY_BUDGET_USD = Decimal("3.00") + 2 * expected
    barrier = threading.Barrier(len(students))
    errors: list[BaseException] = []

    def start(student) -> None:
        try:
            barrier.wait(timeout=30)
            session_create(student=student, lesson=lesson)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(student,)) for student in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    sessions = TutorSession.objects.filter(student__in=students).exclude(pk=earlier.pk)
    started = sessions.filter(offline_for_budget=False).exclude(provider="offline")
    held_back = sessions.filter(offline_for_budget=True)
    assert (started.count(), held_back.count()) == (2, 8)
    assert sum(s.reserved_usd for s in started) == 2 * expected
