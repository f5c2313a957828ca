"""The deck's schedule is py-fsrs's: a recorded review history gives the library's own cards, and the stored
review log re-schedules to the same card."""

import datetime as dt

import fsrs
import pytest
from django.utils import timezone

from practice.models import Card, CardState, ReviewMode
from practice.services.reviews import card_review, next_due_by_rating

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
# (minutes after START, rating): learning steps, a lapse and relearning, then growing intervals.
HISTORY = [
    (0, fsrs.Rating.Good),
    (10, fsrs.Rating.Good),
    (2 * 1440, fsrs.Rating.Hard),
    (9 * 1440, fsrs.Rating.Again),
    (9 * 1440 + 10, fsrs.Rating.Good),
    (12 * 1440, fsrs.Rating.Easy),
    (45 * 1440, fsrs.Rating.Good),
]


@pytest.fixture
def card(student):
    return Card.objects.create(
        student=student, language="fr-FR", kind="word", key="fr:l addition", front="the bill", back="l'addition",
        due=START,
    )  # fmt: skip


def test_a_recorded_review_history_schedules_exactly_as_the_library_does(settings, card):
    settings.DECK_FUZZ_INTERVALS = False
    library = fsrs.Scheduler(desired_retention=settings.DECK_DESIRED_RETENTION, enable_fuzzing=False)
    expected = fsrs.Card(card_id=card.pk, due=START)
    for minutes, rating in HISTORY:
        at = START + dt.timedelta(minutes=minutes)
        review = card_review(card_id=card.pk, rating=int(rating), at=at, duration_ms=4200)
        expected, _log = library.review_card(expected, rating, review_datetime=at, review_duration=4200)
        card.refresh_from_db()
        assert (card.state, card.step, card.due, card.last_review) == (
            int(expected.state), expected.step, expected.due, expected.last_review
        )  # fmt: skip
        assert (card.stability, card.difficulty) == pytest.approx((expected.stability, expected.difficulty))
        assert (review.rating, review.reviewed_at, review.duration_ms, review.due_after) == (
            int(rating), at, 4200, expected.due
        )  # fmt: skip
    assert card.state == CardState.REVIEW and card.reviews.count() == len(HISTORY)


def test_the_stored_review_log_is_enough_to_reschedule_the_card(settings, card):
    """What re-optimizing needs: card id, rating, time and duration of every review."""
    for minutes, rating in HISTORY:
        card_review(card_id=card.pk, rating=int(rating), at=START + dt.timedelta(minutes=minutes))
    card.refresh_from_db()
    logs = [
        fsrs.ReviewLog(card_id=r.card_id, rating=fsrs.Rating(r.rating), review_datetime=r.reviewed_at,
                       review_duration=r.duration_ms)
        for r in card.reviews.all()
    ]  # fmt: skip
    library = fsrs.Scheduler(desired_retention=settings.DECK_DESIRED_RETENTION)
    again = library.reschedule_card(fsrs.Card(card_id=card.pk, due=START), logs)
    assert (again.stability, again.difficulty) == pytest.approx((card.stability, card.difficulty))
    assert [(r.state_before, r.state_after) for r in card.reviews.all()][3] == (CardState.REVIEW, CardState.RELEARNING)


def test_fuzz_spreads_due_dates_but_never_the_memory_model(settings, card):
    settings.DECK_FUZZ_INTERVALS = True
    library = fsrs.Scheduler(desired_retention=settings.DECK_DESIRED_RETENTION, enable_fuzzing=False)
    expected = fsrs.Card(card_id=card.pk, due=START)
    for minutes, rating in HISTORY:
        at = START + dt.timedelta(minutes=minutes)
        card_review(card_id=card.pk, rating=int(rating), at=at)
        expected, _log = library.review_card(expected, rating, review_datetime=at)
    card.refresh_from_db()
    assert (card.stability, card.difficulty) == pytest.approx((expected.stability, expected.difficulty))
    interval = expected.due - card.last_review
    # py-fsrs fuzzes by at most a day plus 15 % of the interval (its largest factor, for short intervals).
    assert abs(card.due - expected.due) <= dt.timedelta(days=1) + interval * 0.15


def test_a_voice_review_keeps_its_mode(card):
    review = card_review(card_id=card.pk, rating=2, mode=ReviewMode.VOICE)
    assert review.mode == "voice" and review.state_before == CardState.LEARNING


def test_each_button_says_when_the_card_would_come_back(card):
    now = timezone.now()
    due = next_due_by_rating(card, at=now)
    assert due[1] < due[2] < due[3] < due[4]
    assert due[1] - now == dt.timedelta(minutes=1)  # Again: the first learning step
