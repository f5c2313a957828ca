import json

import pytest
from django.test import Client
from django.urls import reverse

from lessons.services.lessons import lesson_create
from practice.models import TutorSession
from tests.conftest import configure_tutor, lesson_spec
from tests.practice.factories import budget

URL = "/api/sessions/"


@pytest.fixture
def csrf_client(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    client.get(reverse("home"))  # sets the CSRF cookie, as the page does
    return client


def post(client, body, token=True):
    headers = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value} if token else {}
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


def test_creating_a_session_needs_the_csrf_token(csrf_client, lesson):
    assert post(csrf_client, {"lesson": lesson.pk}, token=False).status_code == 403
    response = post(csrf_client, {"lesson": lesson.pk})
    assert response.status_code == 201
    session = TutorSession.objects.get()
    assert response.json() == {
        "id": session.pk,
        "ws_url": f"/ws/sessions/{session.pk}/",
        "provider": "offline",
        "page_url": f"/sessions/{session.pk}/live/",
    }


def test_a_second_request_continues_the_unfinished_session(csrf_client, lesson):
    first = post(csrf_client, {"lesson": lesson.pk}).json()
    again = post(csrf_client, {"lesson": lesson.pk})
    assert again.status_code == 200 and again.json()["id"] == first["id"]


@pytest.mark.parametrize("body", [{}, {"lesson": "x"}, {"lesson": None}])
def test_bad_bodies_are_refused_with_a_reason(csrf_client, body):
    response = post(csrf_client, body)
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"


def test_unknown_and_closed_lessons(csrf_client, teacher):
    assert post(csrf_client, {"lesson": 12345}).status_code == 404
    draft = lesson_create(spec=lesson_spec(published=False), author=teacher)
    response = post(csrf_client, {"lesson": draft.pk})
    assert response.status_code == 403 and not TutorSession.objects.exists()


def test_anonymous_visitors_get_401(db, lesson):
    client = Client()
    response = client.post(URL, json.dumps({"lesson": lesson.pk}), content_type="application/json")
    assert response.status_code == 401


def test_only_post_is_allowed(csrf_client):
    assert csrf_client.get(URL).status_code == 405


def test_a_spent_budget_with_refuse_is_a_clear_api_error(csrf_client, settings, lesson, classroom):
    configure_tutor(settings, provider="gemini", gemini={"api_key": "test-key"})
    settings.TUTOR_OVER_BUDGET = "refuse"
    budget(classroom, "0")
    response = post(csrf_client, {"lesson": lesson.pk})
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "budget_spent" and "budget is spent" in error["message"]
    assert not TutorSession.objects.exists()


def test_a_spent_budget_with_offline_creates_an_offline_session(csrf_client, settings, lesson, classroom):
    configure_tutor(settings, provider="gemini", gemini={"api_key": "test-key"})
    budget(classroom, "0")
    response = post(csrf_client, {"lesson": lesson.pk})
    assert response.status_code == 201 and response.json()["provider"] == "offline"
