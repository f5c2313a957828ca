"""Reads of a student's deck: what is due, new and learned, the next card to review, the retention of past
reviews, cards learned week by week, and the same numbers for a teacher's students.

"Due" counts cards already reviewed whose time has come by the end of today; "new" cards were never reviewed;
"learned" cards passed their learning steps (FSRS's Review state) and are not due today. Retention is FSRS's
"true retention": the share of reviews of learned cards not rated Again.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from lessons.texts import Shown, reader_language

from ..models import Card, CardKind, CardReview, CardState, Rating
from .progress import WeeklySeries, week_start, weeks_ending

OTHER_CARDS = 15  # known wrong answers a spoken answer is told apart from (practice/answers.py)
LEARN_AHEAD = dt.timedelta(minutes=20)  # a learning step due this soon is shown rather than a wait
RETENTION_DAYS = 30


@dataclass(frozen=True)
class DeckCounts:
    total: int
    due: int
    new: int
    learned: int


@dataclass(frozen=True)
class DeckStats:
    """What a teacher sees of a student's deck."""

    counts: DeckCounts
    retention: float | None  # 0..1 over the last RETENTION_DAYS, None without reviews of learned cards
    reviews: int


def card_cue(card: Card, language: str | None = None) -> Shown:
    """What a card asks, for a reader of `language` (the page's): a word card in their language where its lesson
    gave one, else in the lesson's own, marked; any other card in the language being learned (the mistake as said,
    the word to say)."""
    if card.kind != CardKind.WORD:
        return Shown(card.front, card.language)
    cues = [(code, text) for code, text in card.cues or () if text]
    if not cues:
        return Shown(card.front, "")  # a card from before cues were kept: its language is not known
    language = reader_language(language)
    found = next((text for code, text in cues if code == language), None)
    if found is not None:
        return Shown(found, language)
    own, text = cues[0]
    return Shown(text, own, fallback=True)


def _end_of_today(now: dt.datetime) -> dt.datetime:
    today = timezone.localdate(now)
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))


def _start_of_today(now: dt.datetime) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))


def _filters(now: dt.datetime) -> dict[str, Q]:
    end = _end_of_today(now)
    reviewed = Q(last_review__isnull=False)
    return {
        "due": reviewed & Q(due__lt=end),
        "new": Q(last_review__isnull=True),
        "learned": reviewed & Q(state=CardState.REVIEW, due__gte=end),
    }


def deck_cards(*, student: User, language: str = "") -> QuerySet[Card]:
    cards = Card.objects.filter(student=student)
    return cards.filter(language=language) if language else cards


def deck_counts(*, student: User, language: str = "", now: dt.datetime | None = None) -> DeckCounts:
    filters = _filters(now or timezone.now())
    # Aliased apart from the fields: an aggregate named "due" would hide the field in the other filters.
    counts = deck_cards(student=student, language=language).aggregate(
        n_total=Count("pk"), **{f"n_{name}": Count("pk", filter=condition) for name, condition in filters.items()}
    )
    return DeckCounts(**{name[2:]: value for name, value in counts.items()})


def deck_list(
    *, student: User, show: str = "due", language: str = "", now: dt.datetime | None = None
) -> QuerySet[Card]:
    """The cards of one tab (due, new, learned or all), soonest due first, without their audio."""
    cards = deck_cards(student=student, language=language).select_related("source_session__lesson")
    condition = _filters(now or timezone.now()).get(show)
    return (cards.filter(condition) if condition is not None else cards).order_by("due", "pk")


def deck_languages(*, student: User) -> list[str]:
    return list(Card.objects.filter(student=student).values_list("language", flat=True).distinct().order_by("language"))


def new_cards_left_today(*, student: User, now: dt.datetime | None = None) -> int:
    """New cards a review may still introduce today (DECK_NEW_CARDS_PER_DAY, as Anki limits them)."""
    start = _start_of_today(now or timezone.now())
    introduced = (
        CardReview.objects.filter(card__student=student)
        .values("card")
        .annotate(first=Min("reviewed_at"))
        .filter(first__gte=start)
        .count()
    )
    return max(0, settings.DECK_NEW_CARDS_PER_DAY - introduced)


def next_card(
    *, student: User, language: str = "", session_id: int | None = None, now: dt.datetime | None = None
) -> Card | None:
    """What to review now: a due card, then a new card (while today's allowance lasts), then rather than a wait,
    a learning step due within minutes. `session_id`: only the cards that session made, new ones whatever the
    day's allowance ("Review them now", at the end of a lesson)."""
    now = now or timezone.now()
    cards = deck_cards(student=student, language=language).order_by("due", "pk")
    if session_id is not None:
        cards = cards.filter(source_session_id=session_id)
    reviewed = cards.filter(last_review__isnull=False)
    card = reviewed.filter(due__lte=now).first()
    if card is None and (session_id is not None or new_cards_left_today(student=student, now=now)):
        card = cards.filter(last_review__isnull=True).first()
    if card is None:
        learning = reviewed.filter(state__in=(CardState.LEARNING, CardState.RELEARNING), due__lte=now + LEARN_AHEAD)
        card = learning.first()
    return card


def retention(*, student: User, now: dt.datetime | None = None, days: int = RETENTION_DAYS) -> tuple[float | None, int]:
    """(true retention, reviews counted) over the last `days`."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    counts = CardReview.objects.filter(
        card__student=student, state_before=CardState.REVIEW, reviewed_at__gte=since
    ).aggregate(reviews=Count("pk"), recalled=Count("pk", filter=~Q(rating=Rating.AGAIN)))
    reviews = counts["reviews"]
    return (counts["recalled"] / reviews if reviews else None), reviews


def retention_per_week(*, student: User, weeks: int = 12, today: dt.date | None = None) -> WeeklySeries:
    """Percent of reviews of learned cards recalled, week by week (None where a week had none: nothing to measure,
    which is not 0 % remembered)."""
    labels = weeks_ending(weeks, today or timezone.localdate())
    since = timezone.make_aware(dt.datetime.combine(labels[0], dt.time.min))
    asked: Counter[dt.date] = Counter()
    recalled: Counter[dt.date] = Counter()
    rows = CardReview.objects.filter(
        card__student=student, state_before=CardState.REVIEW, reviewed_at__gte=since
    ).values_list("reviewed_at", "rating")
    for moment, rating in rows:
        week = week_start(timezone.localdate(moment))
        asked[week] += 1
        recalled[week] += rating != Rating.AGAIN
    return WeeklySeries(labels, tuple(round(100 * recalled[w] / asked[w], 1) if asked[w] else None for w in labels))


def cards_learned_per_week(*, student: User, weeks: int = 12, today: dt.date | None = None) -> WeeklySeries:
    """Cards that first passed their learning steps (entered FSRS's Review state), week by week."""
    labels = weeks_ending(weeks, today or timezone.localdate())
    firsts = (
        CardReview.objects.filter(card__student=student, state_after=CardState.REVIEW)
        .values("card")
        .annotate(first=Min("reviewed_at"))
        .values_list("first", flat=True)
    )
    learned = Counter(week_start(timezone.localdate(moment)) for moment in firsts)
    return WeeklySeries(labels, tuple(float(learned[week]) for week in labels))


def deck_stats(*, student: User, now: dt.datetime | None = None) -> DeckStats:
    share, reviews = retention(student=student, now=now)
    return DeckStats(counts=deck_counts(student=student, now=now), retention=share, reviews=reviews)


def deck_stats_by_student(*, students: list[User], now: dt.datetime | None = None) -> dict[int, DeckStats]:
    """Each student's deck numbers, for a class's progress page (a few queries per student: classes are small)."""
    return {student.pk: deck_stats(student=student, now=now) for student in students}


def session_cards(*, session_id: int) -> QuerySet[Card]:
    """The cards a session made (the report and the teacher's review list them)."""
    return Card.objects.filter(source_session_id=session_id).order_by("kind", "pk")


def other_answers(*, card: Card) -> tuple[str, ...]:
    """What the student might say instead, for the recognizer to tell apart: the other cards of that language, those
    made in the same session first."""
    cards = Card.objects.filter(student_id=card.student_id, language=card.language).exclude(pk=card.pk)
    same = list(cards.filter(source_session_id=card.source_session_id).values_list("back", flat=True)[:OTHER_CARDS])
    rest = cards.exclude(back__in=same).order_by("-created_at").values_list("back", flat=True)
    return tuple(dict.fromkeys([*same, *rest[: max(0, OTHER_CARDS - len(same))]]))
