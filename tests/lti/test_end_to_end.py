"""One student's way from the platform to its gradebook, end to end: the teacher adds the lesson to the course
(deep linking), the student launches it, lands on it signed in, starts the session, types the answers to the offline
tutor through the session WebSocket, ends it, and the simulated platform receives the score by AGS."""

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.services.lessons import lesson_create
from lti.models import GradeSent, GradeStatus
from practice.models import TutorSession
from tests.conftest import lesson_spec
from tests.live.conftest import eventually, fast_offline, hosts_stopped, open_socket  # noqa: F401 (fixtures)
from tests.lti.launching import STUDENT, deep_link, student_launch
from tests.lti.steps import steps_with_objectives

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def connect(fast_offline, open_socket):  # noqa: F811 (the fixtures imported above)
    return open_socket


def _launch_and_start(platform, teacher) -> tuple[User, TutorSession]:
    lesson = lesson_create(spec=lesson_spec(dialogue=steps_with_objectives()), author=teacher)
    link = deep_link(Client(), platform, lesson)
    browser = Client()
    landed, _ = student_launch(browser, platform, link)
    assert landed.url == reverse("lti:lesson", args=[lesson.pk])
    started = browser.post(reverse("session_start", args=[lesson.pk]))
    assert started.status_code == 302
    student = User.objects.get(email=STUDENT.email)
    return student, TutorSession.objects.get(student=student, lesson=lesson)


async def test_launch_lesson_session_and_the_grade_reaches_the_platforms_gradebook(connect, platform, teacher):
    student, session = await database_sync_to_async(_launch_and_start)(platform, teacher)
    browser = await connect(student, session.pk)
    await browser.message("ready")
    await browser.message("turn_complete")
    await browser.send_json({"type": "text", "text": "Je voudrais un café, s'il vous plaît"})  # right: objective 1
    await browser.message("turn_complete")
    await browser.send_json({"type": "end"})
    assert (await browser.message("ended"))["reason"] == "student"
    sent = await eventually(
        lambda: GradeSent.objects.filter(session=session.pk, status=GradeStatus.SENT).first(), timeout=20
    )
    assert sent.score == 0.5
    (score,) = platform.scores
    assert score["userId"] == STUDENT.sub and score["scoreGiven"] == 50.0 and score["scoreMaximum"] == 100
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    assert score["lineitem"] == next(iter(platform.links.values())).lineitem
    assert platform.refused == []
