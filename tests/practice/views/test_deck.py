"""The deck's pages: each student sees only their own deck; their teacher hears their cards and sees their
numbers; the review page rates with the four keys' values; the export is an Anki package."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from practice.models import Card, CardReview, LearnerProgress, TutorSession
from practice.placement import tasks_for
from practice.services.deck import deck_update
from practice.services.recording import note_record
from tests.conftest import configure_tutor
from tutor.events import PronunciationNoted

from ..factories import budget, recorded_session


@pytest.fixture
def cards(student, lesson):
    session = recorded_session(student, lesson)
    note_record(
        session_id=session.pk,
        note=PronunciationNoted(word="croissant", heard_as="croisson", tip="-ant", estimate=True, turn=1),
    )
    deck_update(session_id=session.pk)
    return list(Card.objects.filter(student=student).order_by("pk"))


def test_the_deck_page_counts_and_lists_only_the_students_own_cards(client, student, other_student, cards):
    client.force_login(student)
    response = client.get(reverse("deck"), {"show": "new"})
    assert response.context["counts"].new == 3 and response.context["counts"].due == 0
    body = response.content.decode()
    assert "Je voudrais" in body and "an estimate" in body and "Spoken review in French" in body
    client.force_login(other_student)
    assert client.get(reverse("deck")).context["counts"].total == 0


def test_the_review_page_shows_a_card_and_a_rating_schedules_it(client, student, cards):
    client.force_login(student)
    page = client.get(reverse("deck_review"))
    card = page.context["card"]
    assert card in cards and [value for value, _label, _wait in page.context["ratings"]] == [1, 2, 3, 4]
    body = page.content.decode()
    assert 'aria-keyshortcuts="3"' in body and reverse("card_audio", args=[card.pk]) in body
    response = client.post(reverse("card_rate", args=[card.pk]), {"rating": "3", "duration_ms": "5120"})
    assert response.status_code == 302 and response.url == reverse("deck_review")
    review = CardReview.objects.get(card=card)
    assert (review.rating, review.duration_ms, review.mode) == (3, 5120, "page")


def test_nobody_rates_another_students_card(client, other_student, cards):
    client.force_login(other_student)
    assert client.post(reverse("card_rate", args=[cards[0].pk]), {"rating": "4"}).status_code == 404
    assert not CardReview.objects.exists()


def test_a_due_card_comes_before_new_ones(client, student, cards):
    Card.objects.filter(pk=cards[2].pk).update(last_review=timezone.now() - dt.timedelta(days=3),
                                               due=timezone.now() - dt.timedelta(hours=1), state=2, stability=2.0,
                                               difficulty=5.0, step=None)  # fmt: skip
    client.force_login(student)
    assert client.get(reverse("deck_review")).context["card"].pk == cards[2].pk


def test_card_audio_plays_for_the_student_and_their_teacher_only(client, student, teacher, other_student, classroom,
                                                                 cards):  # fmt: skip
    url = reverse("card_audio", args=[cards[0].pk])
    for user, status in ((student, 200), (teacher, 200), (other_student, 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
    client.force_login(student)
    assert client.get(url)["Content-Type"] == "audio/mpeg"


def test_the_export_is_an_anki_package_of_the_students_deck(client, student, cards):
    client.force_login(student)
    response = client.get(reverse("deck_export"))
    assert response["Content-Type"] == "application/apkg"
    assert response["Content-Disposition"].endswith('.apkg"') and response.content[:2] == b"PK"


def test_a_spoken_review_opens_the_live_page_of_a_session_of_due_cards(client, student, cards):
    client.force_login(student)
    response = client.post(reverse("spoken_review_start"), {"language": "fr-FR"})
    session = TutorSession.objects.get(lesson__purpose="review")
    assert response.url == reverse("session_live", args=[session.pk]) and session.drill_cards.count() == 3
    assert client.get(response.url).status_code == 200


def test_a_teacher_sees_their_students_deck_and_sets_their_level(client, teacher, other_teacher, student, classroom,
                                                                 cards):  # fmt: skip
    client.force_login(teacher)
    page = client.get(reverse("teach:learner_deck", args=[student.pk]))
    assert page.context["stats"].counts.total == 3 and "croissant" in page.content.decode()
    client.post(reverse("teach:learner_level_set", args=[student.pk]), {"language": "fr", "level": "A2"})
    progress = LearnerProgress.objects.get(student=student, language="fr")
    assert (progress.level, progress.level_source, progress.level_set_by) == ("A2", "teacher", teacher)
    client.force_login(other_teacher)
    assert client.get(reverse("teach:learner_deck", args=[student.pk])).status_code == 404


def test_the_class_progress_shows_each_students_deck(client, teacher, classroom, cards):
    client.force_login(teacher)
    body = client.get(reverse("teach:classroom_progress", args=[classroom.pk])).content.decode()
    assert reverse("teach:learner_deck", args=[cards[0].student_id]) in body


def test_the_dashboard_says_what_is_due_and_offers_a_placement(client, student, cards):
    client.force_login(student)
    body = client.get(reverse("home")).content.decode()
    assert "0 cards due today" in body and "3 new" in body and reverse("placement_list") in body


def test_a_placement_sets_the_level_and_the_dashboard_suggests_lessons_at_it(client, student, lesson):
    client.force_login(student)
    assert "Je ___ étudiant" in client.get(reverse("placement_take", args=["fr"])).content.decode()
    page = client.post(reverse("placement_take", args=["fr"]), {"A1-1": "suis", "A1-2": "avons"})
    assert "Your level in French: A1" in page.content.decode()
    home = client.get(reverse("home"))
    [(row, lessons, exact)] = home.context["at_level"]
    assert row.progress.level == "A1" and lesson in lessons and exact
    assert client.get(reverse("placement_take", args=["xx"])).status_code == 404


def test_a_placement_above_every_lesson_leads_to_the_nearest_ones_a_level_below_included(client, student, lesson):
    """Issue 24, defect 11: B1 in French with only an A1 lesson still offers it, on the result and the dashboard."""
    client.force_login(student)
    answers = {task.key: task.answers[0] for task in tasks_for("fr") if task.band in ("A1", "A2", "B1")}
    page = client.post(reverse("placement_take", args=["fr"]), answers)
    assert "Your level in French: B1" in page.content.decode()
    assert page.context["lessons"] == [lesson] and not page.context["exact"]
    assert "No lesson at B1 yet: the nearest ones" in page.content.decode()
    [(row, lessons, exact)] = client.get(reverse("home")).context["at_level"]
    assert (row.progress.level, list(lessons), exact) == ("B1", [lesson], False)


def test_a_spoken_review_refused_by_a_spent_budget_says_so_on_the_deck(client, settings, student, classroom, cards):
    configure_tutor(settings, provider="gemini", gemini={"api_key": "test-key"})
    settings.TUTOR_OVER_BUDGET = "refuse"
    budget(classroom, "0")
    client.force_login(student)
    response = client.post(reverse("spoken_review_start"), {"language": "fr-FR"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("deck")
    assert "budget is spent" in response.content.decode()
    assert not TutorSession.objects.filter(lesson__purpose="review").exists()


def test_the_deck_opens_on_its_new_cards_when_none_is_due(client, student, cards):
    """Issue 24, defect 2: after a first lesson nothing is due yet; the deck opens on the new cards, not on an empty
    "Due today"."""
    client.force_login(student)
    response = client.get(reverse("deck"))
    assert response.context["show"] == "new" and len(response.context["page_obj"].object_list) == 3
    assert "No card here." not in response.content.decode()
