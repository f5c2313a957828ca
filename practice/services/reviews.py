"""Reviews of a card, scheduled by FSRS (py-fsrs's Scheduler, not a formula of our own): the card's state
moves as the library says, and every rating is kept as a review log the schedule can be re-optimized from."""

import datetime as dt

import fsrs
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import Card, CardReview, ReviewMode, TutorSession


def scheduler() -> fsrs.Scheduler:
    """The one scheduler of every deck, from the settings (config/settings/deck.py)."""
    return fsrs.Scheduler(
        desired_retention=settings.DECK_DESIRED_RETENTION, enable_fuzzing=settings.DECK_FUZZ_INTERVALS
    )


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """py-fsrs insists on datetime.timezone.utc itself, whatever zone the database answered in."""
    return moment.astimezone(dt.UTC) if moment is not None else None


def as_fsrs(card: Card) -> fsrs.Card:
    return fsrs.Card(
        card_id=card.pk,
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due),
        last_review=_utc(card.last_review),
    )


def card_review(
    *,
    card_id: int,
    rating: int,
    at: dt.datetime | None = None,
    duration_ms: int | None = None,
    mode: str = ReviewMode.PAGE,
    session: TutorSession | None = None,
) -> CardReview:
    """Rate one card (1 again, 2 hard, 3 good, 4 easy) and schedule it, under a lock so two tabs rating the
    same card apply one review after the other."""
    moment = _utc(at or timezone.now())
    with transaction.atomic():
        card = Card.objects.select_for_update().get(pk=card_id)
        before = card.state
        scheduled, log = scheduler().review_card(
            as_fsrs(card), fsrs.Rating(rating), review_datetime=moment, review_duration=duration_ms
        )
        card.state, card.step = int(scheduled.state), scheduled.step
        card.stability, card.difficulty = scheduled.stability, scheduled.difficulty
        card.due, card.last_review = scheduled.due, scheduled.last_review
        card.save(update_fields=["state", "step", "stability", "difficulty", "due", "last_review"])
        return CardReview.objects.create(
            card=card,
            rating=int(log.rating),
            reviewed_at=log.review_datetime,
            duration_ms=log.review_duration,
            mode=mode,
            session=session,
            state_before=before,
            state_after=card.state,
            stability_after=card.stability,
            difficulty_after=card.difficulty,
            due_after=card.due,
        )


def next_due_by_rating(card: Card, *, at: dt.datetime | None = None) -> dict[int, dt.datetime]:
    """When the card would come due after each rating: the review page shows it on each button. Without fuzz,
    so the buttons say what the schedule means rather than one random draw of it."""
    plain = fsrs.Scheduler(desired_retention=settings.DECK_DESIRED_RETENTION, enable_fuzzing=False)
    moment = _utc(at or timezone.now())
    return {int(r): plain.review_card(as_fsrs(card), r, review_datetime=moment)[0].due for r in fsrs.Rating}
