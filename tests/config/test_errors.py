"""Expected refusals are quiet and plain: a POST over the upload limit gets 413 (JSON for the API, a page for a
form) before anything reads it, refused and missing pages log no traceback, and a database that does not answer
gets the API's JSON 503 with a Retry-After."""

import logging

from django.conf import settings
from django.db import OperationalError
from django.urls import reverse

TOO_LARGE = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1


def _tracebacks(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def test_an_oversized_api_post_gets_json_413_and_logs_no_error(client, db, caplog):
    caplog.set_level(logging.DEBUG)
    response = client.post("/api/sessions/", data=b"x" * TOO_LARGE, content_type="application/json")
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    assert _tracebacks(caplog) == []


def test_an_oversized_form_gets_the_413_page_anonymous_or_teacher(client, teacher, caplog):
    caplog.set_level(logging.DEBUG)
    body = {"text": "x" * TOO_LARGE}
    anonymous = client.post(reverse("login"), body)
    client.force_login(teacher)
    teacher_post = client.post(reverse("teach:lesson_import"), body)
    for response in (anonymous, teacher_post):
        assert response.status_code == 413 and "What you sent is too large" in response.content.decode()
    assert _tracebacks(caplog) == []


def test_refused_and_missing_pages_log_one_line_each_without_a_traceback(client, student, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(student)
    pages = [reverse("teach:lesson_list"), reverse("teach:lesson_import"), "/no-such-page/", "/sessions/999999/"]
    statuses = [client.get(page).status_code for page in pages]
    assert statuses == [403, 403, 404, 404]
    assert _tracebacks(caplog) == []
    assert len([r for r in caplog.records if r.name == "django.request"]) == len(pages)


def test_the_api_answers_json_503_when_the_database_is_away(client, student, lesson, monkeypatch, caplog):
    def away(**_kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("practice.views.api.session_start", away)
    client.force_login(student)
    caplog.set_level(logging.DEBUG)
    response = client.post("/api/sessions/", {"lesson": lesson.pk}, content_type="application/json")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "unavailable"
    assert _tracebacks(caplog) == []
