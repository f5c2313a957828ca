from django.urls import reverse

from tutor import services
from tutor.models import TutorSession


def test_the_start_form_creates_then_continues_a_session(client, student, lesson):
    client.force_login(student)
    first = client.post(reverse("session_start", args=[lesson.pk]))
    session = TutorSession.objects.get()
    assert first.url == reverse("session_live", args=[session.pk])
    client.post(reverse("session_start", args=[lesson.pk]))
    assert TutorSession.objects.count() == 1


def test_nobody_else_sees_a_students_session_pages(client, student, other_student, lesson):
    session = services.session_create(student=student, lesson=lesson)
    client.force_login(other_student)
    assert client.get(reverse("session_live", args=[session.pk])).status_code == 404
    assert client.get(reverse("session_detail", args=[session.pk])).status_code == 404


def test_an_ended_session_sends_the_live_page_to_its_report(client, student, lesson):
    session = services.session_create(student=student, lesson=lesson)
    services.session_end(session_id=session.pk, reason="student")
    client.force_login(student)
    response = client.get(reverse("session_live", args=[session.pk]))
    assert response.url == reverse("session_detail", args=[session.pk])
