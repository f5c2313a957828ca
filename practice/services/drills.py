"""Spoken reviews: a session in which the tutor drills the student's due cards by voice (start or continue
one), and, once it ended, each drilled card rated from how its answer went.

Each answer is checked like a dialogue step (the offline tutor's own check, tutor.providers.offline.matching),
walking the student's turns in order: right first time is Good, right after one miss Hard, after two misses (the
tutor then gives the answer) Again. A card a live model moved past unanswered is Again; a card the session never
reached keeps its schedule.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from lessons.models import Lesson, Level, Purpose
from lessons.texts import site_language
from tutor.providers.offline.matching import assess

from ..budgets import tutor_for_new_session
from ..models import UNFINISHED, Card, CardKind, DrillCard, Rating, ReviewMode, Speaker, TutorSession
from ..selectors.deck import card_cue
from .reviews import card_review

DRILL_SIZE = 10
DRILL_MINUTES = 10
DRILL_TITLE = "Spoken review"  # a stored lesson title; the pages show their own translated heading
DRILL_PERSONA = "Tutor"


class NothingToDrill(Exception):
    """No card of that language is due."""


def drill_lesson(*, language: str) -> Lesson:
    """The one spoken-review lesson of a language: never listed or edited; its brief comes from the cards."""
    lesson, _created = Lesson.objects.get_or_create(
        purpose=Purpose.REVIEW,
        language=language,
        defaults={
            "title": DRILL_TITLE,
            "level": Level.A1,
            "scenario": "A spoken review of the student's due cards.",
            "persona_name": DRILL_PERSONA,
            "max_minutes": DRILL_MINUTES,
            "published": False,
        },
    )
    return lesson


@transaction.atomic
def drill_start(*, student: User, language: str, reader_language: str = "") -> TutorSession:
    """The student's unfinished spoken review of this language, or a new one of the cards due first. The tutor asks
    each word in `reader_language` (the page's; by default the student's own), so a word card's cue becomes its
    translation in it."""
    lesson = drill_lesson(language=language)
    existing = TutorSession.objects.filter(student=student, lesson=lesson, status__in=UNFINISHED).first()
    if existing is not None:
        return existing
    due = list(
        Card.objects.filter(student=student, language=language, due__lte=timezone.now()).order_by("due", "id")[
            :DRILL_SIZE
        ]
    )
    if not due:
        raise NothingToDrill(_("No card is due in this language."))
    reader = site_language(reader_language) or student.reading_language
    with transaction.atomic():  # the budgets' check and the start, one step (budgets.py)
        tutor = tutor_for_new_session(student=student, minutes=DRILL_MINUTES)
        session = TutorSession.objects.create(
            student=student,
            lesson=lesson,
            provider=tutor.provider,
            model=tutor.model,
            offline_for_budget=tutor.offline_for_budget,
            reserved_usd=tutor.reserved_usd,
            reader_language=reader,
        )
        for card in due:
            if card.kind == CardKind.WORD and (cue := card_cue(card, reader).text) != card.front:
                Card.objects.filter(pk=card.pk).update(front=cue)  # what the tutor's brief reads (selectors/live.py)
        DrillCard.objects.bulk_create(DrillCard(session=session, card=card, position=n) for n, card in enumerate(due))
    return session


def _rating(misses: int) -> int:
    return (Rating.GOOD, Rating.HARD)[misses] if misses < 2 else Rating.AGAIN


def drill_grade(*, session: TutorSession) -> int:
    """Rate the drilled cards from the student's answers; returns how many were rated. Called once, when the
    ended session updates the deck (services/deck.py)."""
    cards = [drill.card for drill in session.drill_cards.select_related("card").order_by("position")]
    answers = list(session.turns.filter(role=Speaker.STUDENT).order_by("index").values_list("text", "ended_at"))
    ratings: dict[int, tuple[int, object]] = {}
    current, misses = 0, 0
    for text, at in answers:
        if current >= len(cards):
            break
        if not text.strip():
            continue  # heard but not recognized: the student is asked to type, no fault of theirs
        if assess(text, (cards[current].back,), language=cards[current].language).accepted:
            ratings[current] = (_rating(misses), at)
            current, misses = current + 1, 0
            continue
        later = next(
            (
                n
                for n in range(current + 1, len(cards))
                if assess(text, (cards[n].back,), language=cards[n].language).accepted
            ),
            None,
        )
        if later is None:
            misses += 1
            continue
        for skipped in range(current, later):  # the tutor moved on without a right answer
            ratings[skipped] = (Rating.AGAIN, at)
        ratings[later] = (Rating.GOOD, at)
        current, misses = later + 1, 0
    if current < len(cards) and misses:
        ratings[current] = (Rating.AGAIN, answers[-1][1])
    for position, (rating, at) in sorted(ratings.items()):
        card_review(card_id=cards[position].pk, rating=rating, at=at, mode=ReviewMode.VOICE, session=session)
    return len(ratings)
