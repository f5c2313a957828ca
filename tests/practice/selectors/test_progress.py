import datetime as dt

import pytest

from practice.models import SessionStatus, TutorSession
from practice.selectors import progress
from practice.services.sessions import session_create

from ..student_data import correction, finished_session, word

TODAY = dt.date(2026, 3, 18)  # a Wednesday
MONDAY = dt.date(2026, 3, 16)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def on(student, lesson):
    def practise(*days: dt.date, minutes: float = 5, status=SessionStatus.ENDED) -> list[TutorSession]:
        return [finished_session(student, lesson, day=day, minutes=minutes, status=status) for day in days]

    return practise


def test_the_streak_counts_days_in_a_row_up_to_today(student, on):
    on(days_ago(0), days_ago(1), days_ago(1), days_ago(2), days_ago(4))
    assert progress.streak_days(student=student, today=TODAY) == 3


def test_a_streak_survives_until_a_whole_day_passes_without_practice(student, on):
    on(days_ago(1), days_ago(2))
    assert progress.streak_days(student=student, today=TODAY) == 2
    assert progress.streak_days(student=student, today=TODAY + dt.timedelta(days=1)) == 0


def test_time_this_week_counts_finished_sessions_since_monday_only(student, lesson, on):
    on(MONDAY, minutes=12)
    on(TODAY, minutes=7.6, status=SessionStatus.FAILED)
    on(MONDAY - dt.timedelta(days=1), minutes=30)  # last Sunday
    session_create(student=student, lesson=lesson)  # not started: no minutes
    summary = progress.practice_summary(student=student, today=TODAY)
    assert summary.seconds_this_week == pytest.approx(19.6 * 60)
    assert summary.sessions_finished == 3


def test_words_learned_are_distinct_words_marked_learned(student, other_student, lesson, on):
    first, second = on(days_ago(3), days_ago(1))
    word(first, "un café", "learned")
    word(second, "un café", "learned")
    word(second, "merci", "learned")
    word(second, "bonjour", "used")
    theirs = finished_session(other_student, lesson, day=TODAY)
    word(theirs, "l'addition", "learned")
    assert progress.words_learned_count(student=student) == 2


def test_minutes_per_week_fall_in_the_week_they_were_practised(student, on):
    on(MONDAY, TODAY, minutes=10)
    on(MONDAY - dt.timedelta(days=7), minutes=4.5)
    series = progress.minutes_per_week(student=student, weeks=3, today=TODAY)
    assert series.weeks == (MONDAY - dt.timedelta(days=14), MONDAY - dt.timedelta(days=7), MONDAY)
    assert series.values == (0, 4.5, 20)


def test_corrections_per_week_are_split_by_category_in_a_fixed_order(student, on):
    (session,) = on(TODAY)
    correction(session, 1, category="spelling", day=TODAY)
    correction(session, 1, category="grammar", day=TODAY)
    correction(session, 1, category="grammar", day=MONDAY - dt.timedelta(days=3))
    weekly = progress.corrections_per_week(student=student, weeks=2, today=TODAY)
    assert list(weekly.by_category) == ["grammar", "spelling"]
    assert weekly.by_category == {"grammar": (1, 1), "spelling": (0, 1)}


def test_words_learned_per_week_is_a_running_total_of_first_times(student, on):
    first, second = on(MONDAY - dt.timedelta(days=7), TODAY)
    word(first, "un café", "learned", day=MONDAY - dt.timedelta(days=7))
    word(second, "un café", "learned", day=TODAY)
    word(second, "merci", "learned", day=TODAY)
    series = progress.words_learned_per_week(student=student, weeks=3, today=TODAY)
    assert series.values == (0, 1, 2)
