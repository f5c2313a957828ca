"""Transcripts older than the retention setting are deleted by the periodic task; the learner's record stays."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from practice.models import ContextSummary, Correction, SessionReport, Turn, TutorSession
from privacy.services.retention import transcripts_delete_expired, transcripts_delete_expired_task
from tests.practice.factories import reviewable_session

pytestmark = pytest.mark.django_db


def test_transcripts_past_the_retention_go_and_the_record_stays(student, lesson):
    old = reviewable_session(student, lesson, when=timezone.now() - dt.timedelta(days=40))
    recent = reviewable_session(student, lesson)
    TutorSession.objects.filter(pk=old.pk).update(resumption_handle="handle")
    deleted = transcripts_delete_expired(older_than=dt.timedelta(days=30))
    assert deleted == 2
    assert not Turn.objects.filter(session=old).exists() and not ContextSummary.objects.filter(session=old).exists()
    assert TutorSession.objects.get(pk=old.pk).resumption_handle == ""
    assert Correction.objects.filter(session=old).exists() and SessionReport.objects.filter(session=old).exists()
    assert Turn.objects.filter(session=recent).count() == 2


def test_an_unfinished_session_keeps_its_transcript_however_old(student, lesson):
    session = reviewable_session(student, lesson, when=timezone.now() - dt.timedelta(days=40))
    TutorSession.objects.filter(pk=session.pk).update(status="live", ended_at=None)
    assert transcripts_delete_expired(older_than=dt.timedelta(days=30)) == 0


def test_the_periodic_task_follows_the_setting_and_keeps_everything_at_zero(settings, student, lesson):
    reviewable_session(student, lesson, when=timezone.now() - dt.timedelta(days=3))
    settings.PRIVACY_TRANSCRIPT_RETENTION_DAYS = 0
    assert transcripts_delete_expired_task.delay().get() == 0
    settings.PRIVACY_TRANSCRIPT_RETENTION_DAYS = 1
    assert transcripts_delete_expired_task.delay().get() == 2


def test_celery_beat_runs_the_retention_task_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["delete-expired-transcripts"]
    assert entry["task"] == transcripts_delete_expired_task.name and entry["schedule"] == 86_400.0
