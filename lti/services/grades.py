"""A session's score goes to the platform's gradebook (LTI Assignment and Grade Services): queued when the session
ends (practice's `session_ended`), sent by a Celery task on commit, retried with backoff while the platform does
not take it, and sent once (GradeSent). The score is the share of the lesson's objectives met, or, for a lesson
without objectives, the share of the student's answers that needed no correction."""

import datetime as dt
import logging

import requests
from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from lti_tool.models import LtiRegistration
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector

from practice.models import Speaker, TutorSession

from ..models import GradeSent, GradeStatus, GradeTarget

log = logging.getLogger(__name__)
SCORE_MAXIMUM = 100
HTTP_TIMEOUT = 15.0


class GradebookBusy(Exception):
    """The platform did not take the score this time (an error answer, or no answer): Celery tries again."""


def session_score(*, session: TutorSession) -> float:
    """From 0 to 1: objectives met of the lesson's, else answers without a correction of the student's answers."""
    objectives = [o for o in session.lesson.objectives if o]
    if objectives:
        return len(set(session.objectives_met) & set(objectives)) / len(objectives)
    answers = set(session.turns.filter(role=Speaker.STUDENT).values_list("index", flat=True))
    if not answers:
        return 0.0
    corrected = set(session.corrections.filter(turn_index__in=answers).values_list("turn_index", flat=True))
    return (len(answers) - len(corrected)) / len(answers)


def grades_queue_for_ended_session(sender, *, session: TutorSession, **kwargs) -> None:
    """session_ended's receiver: a score for each gradebook column this student launched this lesson from."""
    targets = GradeTarget.objects.filter(student=session.student_id, lesson=session.lesson_id)
    for target in targets:
        grade, created = GradeSent.objects.get_or_create(
            session=session, target=target, defaults={"score": session_score(session=session)}
        )
        if created:
            grade_send_task.delay_on_commit(grade.pk)


class _TimedSession(requests.Session):
    """pylti1p3 calls the platform with no timeout: a platform that never answers must not hold a worker."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        return super().request(*args, **kwargs)


def _gradebook(target: GradeTarget) -> AssignmentsGradesService:
    registration = LtiRegistration.objects.get(pk=target.registration_id).to_registration()
    connector = ServiceConnector(registration, requests_session=_TimedSession())
    return AssignmentsGradesService(connector, {"scope": target.scopes, "lineitem": target.lineitem_url})


def grade_send(*, grade_id: int) -> GradeSent:
    """Send one score, once: a score already sent is not sent again. The AGS timestamp is the session's end, so a
    platform that got it before keeps one result."""
    grade = GradeSent.objects.select_related("target", "session").get(pk=grade_id)
    if grade.status == GradeStatus.SENT:
        return grade
    ended = grade.session.ended_at or timezone.now()
    score = (
        Grade()
        .set_score_given(round(grade.score * SCORE_MAXIMUM, 2))
        .set_score_maximum(SCORE_MAXIMUM)
        .set_timestamp(ended.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"))
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_user_id(grade.target.platform_user_id)
    )
    try:
        _gradebook(grade.target).put_grade(score)
    except (LtiServiceException, LtiException, requests.RequestException) as exc:
        with transaction.atomic():
            GradeSent.objects.filter(pk=grade.pk).update(attempts=grade.attempts + 1, error=str(exc)[:500])
        log.warning("the platform did not take the score of session %s: %s", grade.session_id, exc)
        raise GradebookBusy(str(exc)) from exc
    GradeSent.objects.filter(pk=grade.pk).update(
        status=GradeStatus.SENT, attempts=grade.attempts + 1, sent_at=timezone.now(), error=""
    )
    grade.refresh_from_db()
    return grade


def grade_mark_failed(*, grade_id: int, error: str) -> None:
    GradeSent.objects.filter(pk=grade_id).exclude(status=GradeStatus.SENT).update(
        status=GradeStatus.FAILED, error=error[:500]
    )


class _GradeTask(DjangoTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Past its retries the score says it failed (the admin lists it), instead of waiting for ever."""
        grade_mark_failed(grade_id=args[0] if args else kwargs["grade_id"], error=str(exc))


@shared_task(
    bind=True,
    base=_GradeTask,
    autoretry_for=(GradebookBusy,),
    retry_backoff=5,
    retry_backoff_max=3600,
    max_retries=settings.LTI_GRADE_MAX_RETRIES,
)
def grade_send_task(self, grade_id: int) -> str:
    return grade_send(grade_id=grade_id).status
