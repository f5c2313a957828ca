"""Scores: computed from the session, queued once when it ends, sent once, retried while the platform refuses."""

import pytest
from celery.exceptions import Retry
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.services.lessons import lesson_create
from lti.models import GradeSent, GradeStatus
from lti.services.grades import GradebookBusy, grade_send, grade_send_task, session_score
from practice.models import TutorSession
from practice.services.sessions import session_end
from tests.conftest import lesson_spec
from tests.lti.launching import STUDENT, deep_link, student_launch
from tests.practice.factories import recorded_session, reviewable_session

pytestmark = pytest.mark.django_db


def test_the_score_is_the_share_of_objectives_met(student, lesson):
    session = reviewable_session(student, lesson, objectives_met=["Order a drink"])
    assert session_score(session=session) == 0.5


def test_without_objectives_the_score_is_the_share_of_answers_needing_no_correction(student, teacher):
    lesson = lesson_create(spec=lesson_spec(objectives=()), author=teacher)
    session = recorded_session(student, lesson)  # four answers, one corrected
    assert session_score(session=session) == 0.75


def _launched_session(platform, lesson, django_capture_on_commit_callbacks) -> TutorSession:
    link = deep_link(Client(), platform, lesson)
    browser = Client()
    student_launch(browser, platform, link)
    browser.post(reverse("session_start", args=[lesson.pk]))
    session = TutorSession.objects.get(student__email=STUDENT.email)
    TutorSession.objects.filter(pk=session.pk).update(objectives_met=list(lesson.objectives))
    with django_capture_on_commit_callbacks(execute=True):
        session_end(session_id=session.pk, reason="student")
    return session


def test_an_ended_session_sends_its_score_once_even_if_it_ends_again(
    platform, lesson, django_capture_on_commit_callbacks
):
    session = _launched_session(platform, lesson, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        session_end(session_id=session.pk, reason="student")  # a second end is no end
    grade = GradeSent.objects.get(session=session)
    assert grade.status == GradeStatus.SENT and grade.score == 1.0
    assert len(platform.scores) == 1 and platform.scores[0]["scoreGiven"] == 100.0
    assert grade_send(grade_id=grade.pk).status == GradeStatus.SENT  # the task run again sends nothing
    assert len(platform.scores) == 1


def test_a_score_the_gradebook_refuses_is_kept_and_sent_when_it_takes_it(
    platform, lesson, django_capture_on_commit_callbacks
):
    platform.unavailable = 1
    with pytest.raises(Retry):  # the task asks Celery to try again (eager here: raised)
        _launched_session(platform, lesson, django_capture_on_commit_callbacks)
    grade = GradeSent.objects.get()
    assert grade.status == GradeStatus.PENDING and grade.attempts == 1 and platform.refused == ["gradebook unavailable"]
    assert grade_send(grade_id=grade.pk).status == GradeStatus.SENT  # the retry
    assert len(platform.scores) == 1 and GradeSent.objects.get().attempts == 2


def test_the_task_retries_a_busy_gradebook_and_marks_a_score_failed_past_its_retries(
    platform, lesson, settings, django_capture_on_commit_callbacks
):
    assert grade_send_task.max_retries == settings.LTI_GRADE_MAX_RETRIES
    assert GradebookBusy in grade_send_task.autoretry_for
    platform.unavailable = 1
    with pytest.raises(Retry):  # the task asks Celery to try again (eager here: raised)
        _launched_session(platform, lesson, django_capture_on_commit_callbacks)
    grade = GradeSent.objects.get()
    grade_send_task.on_failure(GradebookBusy("refused"), "task-id", (grade.pk,), {}, None)
    grade.refresh_from_db()
    assert grade.status == GradeStatus.FAILED and grade.error == "refused"


def test_sessions_not_launched_from_a_platform_send_nothing(
    student, lesson, platform, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reviewable_session(student, lesson)
    assert not GradeSent.objects.exists() and platform.scores == []
    assert User.objects.filter(pk=student.pk).exists()
