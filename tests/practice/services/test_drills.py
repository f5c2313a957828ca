"""A spoken review: the due cards as the session's lesson, and each drilled card rated from its answers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lessons.models import Lesson, Purpose
from lessons.selectors.lessons import lessons_visible_to
from practice.budgets import BudgetSpent
from practice.models import Card, CardReview, DrillCard, Rating, ReviewMode
from practice.selectors.live import session_brief
from practice.services.deck import deck_update
from practice.services.drills import NothingToDrill, drill_start
from practice.services.recording import turn_record
from tests.conftest import configure_tutor

ANSWERS = ("Je voudrais un café", "l'addition", "croissant")


@pytest.fixture
def due_cards(student):
    past = timezone.now() - dt.timedelta(hours=1)
    kinds = ("correction", "word", "pronunciation")
    fronts = ("Je voudrait un café", "the bill", "croissant")
    return [
        Card.objects.create(student=student, language="fr-FR", kind=kind, key=f"fr:{n}", front=front, back=back,
                            due=past + dt.timedelta(minutes=n))
        for n, (kind, front, back) in enumerate(zip(kinds, fronts, ANSWERS, strict=True))
    ]  # fmt: skip


def said(session, *answers: str) -> None:
    now = timezone.now()
    for n, text in enumerate(answers):
        turn_record(session_id=session.pk, index=2 * n + 1, role="student", text=text, started_at=now, ended_at=now)


def test_a_spoken_review_drills_the_due_cards_in_order_as_a_lesson_nobody_lists(student, due_cards):
    session = drill_start(student=student, language="fr-FR")
    assert session.lesson.purpose == Purpose.REVIEW and session.provider == "offline"
    assert [d.card for d in DrillCard.objects.filter(session=session)] == due_cards
    assert not lessons_visible_to(user=student).filter(pk=session.lesson.pk).exists()
    brief = session_brief(session=session)
    assert [line.expected for line in brief.dialogue] == [(answer,) for answer in ANSWERS]
    assert brief.dialogue[0].tutor == "On révise vos cartes. Dites-le correctement : Je voudrait un café"
    assert brief.dialogue[1].tutor == "Comment dit-on « the bill » ?" and "answer: l'addition" in brief.scenario
    assert drill_start(student=student, language="fr-FR") == session  # an unfinished one continues
    assert Lesson.objects.filter(purpose=Purpose.REVIEW).count() == 1


def test_nothing_due_means_no_spoken_review(student):
    with pytest.raises(NothingToDrill):
        drill_start(student=student, language="fr-FR")


def test_ratings_follow_from_correctness_and_hints(student, due_cards):
    session = drill_start(student=student, language="fr-FR")
    # Right after one miss (Hard); right first time (Good); two misses, the tutor gives it, then right (Again).
    said(session, "Je voudrait un café", "Je voudrais un café", "", "l'addition", "pain", "baguette", "croissant")
    deck_update(session_id=session.pk)
    ratings = dict(CardReview.objects.values_list("card_id", "rating"))
    assert ratings == {due_cards[0].pk: Rating.HARD, due_cards[1].pk: Rating.GOOD, due_cards[2].pk: Rating.AGAIN}
    assert set(CardReview.objects.values_list("mode", "session")) == {(ReviewMode.VOICE, session.pk)}
    deck_update(session_id=session.pk)
    assert CardReview.objects.count() == 3  # once per session


def test_a_card_a_live_model_moved_past_is_again_and_a_card_never_reached_keeps_its_schedule(student, due_cards):
    session = drill_start(student=student, language="fr-FR")
    said(session, "euh", "l'addition")
    deck_update(session_id=session.pk)
    ratings = dict(CardReview.objects.values_list("card_id", "rating"))
    assert ratings == {due_cards[0].pk: Rating.AGAIN, due_cards[1].pk: Rating.GOOD}
    assert Card.objects.get(pk=due_cards[2].pk).last_review is None


def test_a_spoken_review_asks_the_budget_policy_like_any_new_session(settings, student, classroom, due_cards):
    configure_tutor(settings, provider="gemini", gemini={"api_key": "test-key"})
    classroom.monthly_budget_usd = Decimal(0)
    classroom.save()
    session = drill_start(student=student, language="fr-FR")
    assert (session.provider, session.offline_for_budget) == ("offline", True)
    session.delete()
    settings.TUTOR_OVER_BUDGET = "refuse"
    with pytest.raises(BudgetSpent):
        drill_start(student=student, language="fr-FR")


def test_a_word_card_is_asked_in_the_language_the_student_reads_the_site_in(student, due_cards):
    """Issue 24, defect 3: the spoken review asks « la cuenta » of a student reading in Spanish."""
    Card.objects.filter(pk=due_cards[1].pk).update(cues=[["en", "the bill"], ["es", "la cuenta"]])
    session = drill_start(student=student, language="fr-FR", reader_language="es")
    assert session.reader_language == "es"
    assert session_brief(session=session).dialogue[1].tutor == "Comment dit-on « la cuenta » ?"
