"""GET /sessions/<id>/report.json: the report's live status, for those who may see the session."""

from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from practice.models import ReportVersion, SessionReport, TutorSession
from practice.services.sessions import session_create, session_end


@pytest.fixture
def session(student, lesson, classroom):
    return session_create(student=student, lesson=lesson)


def report_json(client, session):
    return client.get(reverse("session_report_json", args=[session.pk]))


def test_before_the_end_there_is_no_report_yet(client, student, session):
    client.force_login(student)
    body = report_json(client, session).json()
    assert (body["status"], body["final"], body["report"]) == ("none", False, None)
    assert "written when the session ends" in body["html"]


def test_the_status_follows_the_report_as_it_is_written(client, student, session):
    session_end(session_id=session.pk, reason="student")
    client.force_login(student)
    assert report_json(client, session).json()["status"] == "pending"
    SessionReport.objects.filter(session=session).update(status="running")
    running = report_json(client, session).json()
    assert (running["status"], running["final"]) == ("running", False)
    SessionReport.objects.filter(session=session).update(status="failed", error="text model timed out")
    failed = report_json(client, session).json()
    assert failed["final"] and "could not be written" in failed["html"] and "timed out" not in failed["html"]


def test_a_ready_report_comes_with_its_fields_and_its_html(client, student, session, lesson):
    session_end(session_id=session.pk, reason="student")
    SessionReport.objects.filter(session=session).update(
        status="ready", summary="Well done.", strengths=["Greetings"], suggested_lesson=lesson
    )
    client.force_login(student)
    response = report_json(client, session)
    body = response.json()
    assert body["final"] and body["status_display"] == "Ready"
    assert body["report"]["summary"] == "Well done." and body["report"]["strengths"] == ["Greetings"]
    assert body["report"]["suggested_lesson"] == {"id": lesson.pk, "title": lesson.title}
    assert "Well done." in body["html"]
    assert "no-cache" in response["Cache-Control"]


def test_a_report_written_without_the_text_model_says_it_fell_back_and_why(client, student, session):
    session_end(session_id=session.pk, reason="student")
    SessionReport.objects.filter(session=session).update(status="ready", summary="4 answers.", fallback="unusable")
    client.force_login(student)
    html = unescape(report_json(client, session).json()["html"])
    assert 'data-report-fallback="unusable"' in html
    assert (
        "Written from the session's counts, without the text model: the text model's answer could not be used." in html
    )


def test_only_those_who_may_see_the_session_get_its_report(
    client, session, student, teacher, staff, other_student, other_teacher
):
    assert report_json(client, session).status_code == 401
    for viewer, status in ((student, 200), (teacher, 200), (staff, 200), (other_student, 404), (other_teacher, 404)):
        client.force_login(viewer)
        assert report_json(client, session).status_code == status


def test_the_report_endpoint_only_answers_get(client, student, session):
    client.force_login(student)
    assert client.post(reverse("session_report_json", args=[session.pk])).status_code == 405


def test_a_reader_of_another_language_asks_for_the_report_in_theirs_and_only_those_who_may_see_it(
    client, session, student, teacher, other_student, other_teacher
):
    session_end(session_id=session.pk, reason="student")
    SessionReport.objects.filter(session=session).update(status="ready", language="es", summary="Bien hecho.")
    url = reverse("report_version", args=[session.pk])
    for outsider in (other_student, other_teacher):
        client.force_login(outsider)
        assert client.post(url, {"language": "fr"}).status_code == 404
    assert not ReportVersion.objects.exists()
    client.force_login(teacher)
    response = client.post(url, {"language": "fr"})
    assert response.url == reverse("teach:session_review", args=[session.pk])
    assert ReportVersion.objects.get().language == "fr"
    client.force_login(student)
    assert client.post(url, {"language": "de"}).url == reverse("session_detail", args=[session.pk])
    assert client.get(url).status_code == 405


def test_the_report_json_says_when_the_sessions_cards_are_made(client, student, session):
    session_end(session_id=session.pk, reason="student")
    client.force_login(student)
    cards = report_json(client, session).json()["cards"]
    assert (cards["made"], cards["count"]) == (False, 0) and "being made" in cards["html"]
    TutorSession.objects.filter(pk=session.pk).update(deck_updated_at=timezone.now())
    cards = report_json(client, session).json()["cards"]
    assert cards["made"] and "No new card" in cards["html"] and cards["announce"] == "0 new cards."
