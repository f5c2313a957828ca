from django.urls import reverse
from django.utils import timezone

from practice.services.sessions import session_create

from ..student_data import finished_session

URL = reverse("session_history")


def test_the_history_needs_a_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response.url


def test_a_student_sees_only_their_own_sessions(client, student, other_student, lesson):
    mine = finished_session(student, lesson, day=timezone.localdate())
    theirs = finished_session(other_student, lesson, day=timezone.localdate())
    client.force_login(student)
    body = client.get(URL).content.decode()
    assert reverse("session_detail", args=[mine.pk]) in body
    assert reverse("session_detail", args=[theirs.pk]) not in body


def test_an_unfinished_session_links_to_the_live_page(client, student, lesson):
    session = session_create(student=student, lesson=lesson)
    client.force_login(student)
    body = client.get(URL).content.decode()
    assert reverse("session_live", args=[session.pk]) in body and "unfinished" in body


def test_the_history_is_paged(client, student, lesson):
    for _ in range(21):
        finished_session(student, lesson, day=timezone.localdate())
    client.force_login(student)
    assert "Page 1 of 2" in client.get(URL).content.decode()
    assert client.get(URL, {"page": 2}).context["page_obj"].object_list.__len__() == 1
