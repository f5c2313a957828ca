"""Answering a card on the review page: typed or said, graded as a lesson grades it, with the difference shown and a
suggested rating; with a script (JSON) or without one (the page comes back graded)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from practice.models import Card
from tests.e2e.audio import quiet, said

ANSWER = "Je voudrais un café, s'il vous plaît"


@pytest.fixture
def card(student):
    return Card.objects.create(
        student=student, language="fr-FR", kind="correction", key="fr:je voudrais un cafe s il vous plait",
        front="Je voudrait un café, s'il vous plaît", back=ANSWER, due=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def other_cards(student):
    for back in ("L'addition, s'il vous plaît", "Un croissant, s'il vous plaît", "Par carte"):
        Card.objects.create(student=student, language="fr-FR", kind="correction", key=f"fr:{back}", front=back,
                            back=back, due=timezone.now())  # fmt: skip


def answer(client, card, **data):
    return client.post(reverse("card_answer", args=[card.pk]), data, HTTP_ACCEPT="application/json")


def test_a_right_typed_answer_suggests_good(client, student, card):
    client.force_login(student)
    body = answer(client, card, answer="je voudrais un cafe s'il vous plait").json()
    assert (body["verdict"], body["rating"]) == ("right", 3)
    assert "Right!" in body["html"]


def test_a_close_typed_answer_shows_the_difference_and_suggests_hard(client, student, card):
    client.force_login(student)
    response = client.post(
        reverse("card_answer", args=[card.pk]), {"answer": "Je voudrait un café, s'il vous plaît"},
        HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="es",
    )  # fmt: skip
    body = response.json()
    assert (body["verdict"], body["rating"]) == ("close", 2)
    assert "<del>Je voudrait</del>" not in body["html"]  # word by word
    assert "<del>voudrait</del>" in body["html"] and "<ins>voudrais</ins>" in body["html"]
    assert "Aquí se dice «voudrais», no «voudrait»." in body["html"]  # explained in the page's language


def test_a_wrong_answer_suggests_again(client, student, card):
    client.force_login(student)
    assert answer(client, card, answer="Où sont les toilettes ?").json()["rating"] == 1


def test_without_a_script_the_review_page_comes_back_graded_with_the_suggestion_focused(client, student, card):
    client.force_login(student)
    response = client.post(reverse("card_answer", args=[card.pk]), {"answer": "Je voudrait un café, s'il vous plaît"})
    assert response.status_code == 200 and response.context["graded"].verdict == "close"
    body = response.content.decode()
    assert (
        'class="rating rating-2 suggested" aria-keyshortcuts="2" aria-describedby="suggested-rating" autofocus' in body
    )


def test_an_empty_answer_is_refused_in_the_readers_language(client, student, card):
    client.force_login(student)
    response = client.post(
        reverse("card_answer", args=[card.pk]), {"answer": ""}, HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )  # fmt: skip
    assert response.status_code == 400 and response.json()["error"]["code"] == "no_answer"
    assert response.json()["error"]["message"] == "Tapez d'abord votre réponse."


def test_nobody_answers_another_students_card(client, other_student, card):
    client.force_login(other_student)
    assert answer(client, card, answer=ANSWER).status_code == 404


def test_bad_audio_is_refused_with_a_reason(client, student, card):
    client.force_login(student)
    url = reverse("card_answer", args=[card.pk])
    odd = client.post(url, b"\x00" * 3, content_type="application/octet-stream", HTTP_ACCEPT="application/json")
    assert odd.status_code == 400 and odd.json()["error"]["code"] == "bad_audio"


def test_a_spoken_right_answer_with_a_greeting_is_heard_graded_right_with_a_pronunciation_estimate(
    client, student, card, other_cards
):
    client.force_login(student)
    pcm = quiet(400) + said(f"Bonjour, {ANSWER}", language="fr-FR") + quiet(600)
    response = client.post(
        reverse("card_answer", args=[card.pk]), pcm, content_type="application/octet-stream",
        HTTP_ACCEPT="application/json",
    )  # fmt: skip
    body = response.json()
    assert (body["verdict"], body["rating"], body["said"]) == ("right", 3, ANSWER)
    assert "an estimate" in body["html"] and "%" in body["html"]


def test_a_spoken_other_card_is_heard_as_what_it_is_and_suggests_again(client, student, card, other_cards):
    client.force_login(student)
    pcm = quiet(400) + said("L'addition, s'il vous plaît", language="fr-FR") + quiet(600)
    response = client.post(
        reverse("card_answer", args=[card.pk]), pcm, content_type="application/octet-stream",
        HTTP_ACCEPT="application/json",
    )  # fmt: skip
    body = response.json()
    assert body["verdict"] in ("wrong", "unheard") and body["rating"] in (1, None)
