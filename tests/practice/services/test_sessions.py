import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lessons.services.lessons import lesson_create
from practice.models import LearnerProgress, SessionReport, Turn
from practice.services.recording import note_record, turn_record, usage_record
from practice.services.sessions import session_create, session_end, session_mark_live, sessions_end_stale
from tests.conftest import configure_tutor, lesson_spec
from tutor.events import CorrectionNoted, ObjectiveMet, TokenUsage, VocabularyNoted
from tutor.providers.catalog import Prices


@pytest.fixture
def session(student, lesson):
    return session_create(student=student, lesson=lesson)


def test_session_create_picks_the_configured_provider(session):
    assert (session.provider, session.model, session.status) == ("offline", "offline", "created")


def test_a_lesson_override_is_used_only_when_its_key_is_set(student, teacher, settings):
    lesson = lesson_create(spec=lesson_spec(provider="gemini"), author=teacher)
    assert session_create(student=student, lesson=lesson).provider == "offline"
    configure_tutor(settings, gemini={"api_key": "key"})
    assert session_create(student=student, lesson=lesson).provider == "gemini"


def test_students_cannot_start_a_draft(student, teacher):
    draft = lesson_create(spec=lesson_spec(published=False), author=teacher)
    with pytest.raises(PermissionDenied):
        session_create(student=student, lesson=draft)


def test_turn_record_is_idempotent_on_its_index(session):
    now = timezone.now()
    for text in ("Bonjour", "Bonjour !"):
        turn_record(session_id=session.pk, index=0, role="student", text=text, started_at=now, ended_at=now)
    assert list(Turn.objects.values_list("text", flat=True)) == ["Bonjour !"]


def test_unknown_correction_categories_become_other(session):
    correction = note_record(
        session_id=session.pk,
        note=CorrectionNoted(
            original="je suis 20 ans", corrected="j'ai 20 ans", explanation="avoir for age", category="made-up", turn=0
        ),
    )
    assert correction.category == "other"


def test_usage_record_prices_tokens_from_the_table(session, settings):
    configure_tutor(settings, catalog=settings.TUTOR.catalog.with_prices({"m": Prices(1, 10, 0.1, 2, 20, 5)}))
    record = usage_record(
        session_id=session.pk,
        provider="gemini",
        model="m",
        tokens=TokenUsage(text_in=1_000_000, audio_in=1_000_000, text_out=500_000, audio_out=100_000),
    )
    assert record.total_tokens == 2_600_000
    assert record.cost_usd == Decimal("14.000000")


def test_objectives_are_recorded_once(session):
    for _ in range(2):
        note_record(session_id=session.pk, note=ObjectiveMet(objective="Order a drink"))
    session.refresh_from_db()
    assert session.objectives_met == ["Order a drink"]


def test_session_end_adds_progress_and_a_pending_report_once(session, student):
    session_mark_live(session_id=session.pk)
    session.refresh_from_db()
    session.__class__.objects.filter(pk=session.pk).update(started_at=session.started_at - dt.timedelta(minutes=5))
    note_record(session_id=session.pk, note=VocabularyNoted(word="un café", status="learned", turn=1))
    session_end(session_id=session.pk, reason="student")
    session_end(session_id=session.pk, reason="student")
    session.refresh_from_db()
    assert session.status == "ended" and session.end_reason == "student"
    progress = LearnerProgress.objects.get(student=student, language="fr")
    assert progress.sessions_count == 1 and progress.words_learned == 1 and progress.seconds_practised >= 299
    assert SessionReport.objects.get(session=session).status == "pending"


def test_a_word_learned_again_is_not_counted_twice(student, lesson):
    for _ in range(2):
        session = session_create(student=student, lesson=lesson)
        session_mark_live(session_id=session.pk)
        note_record(session_id=session.pk, note=VocabularyNoted(word="merci", status="learned", turn=1))
        session_end(session_id=session.pk, reason="student")
    assert LearnerProgress.objects.get(student=student).words_learned == 1


def test_a_session_that_never_went_live_adds_no_progress(session, student):
    session_end(session_id=session.pk, reason="disconnected")
    assert not LearnerProgress.objects.filter(student=student).exists()


def test_sessions_nobody_spoke_in_for_a_while_are_ended_with_their_report(student, lesson):
    from practice.models import TutorSession

    stale = session_create(student=student, lesson=lesson)
    session_mark_live(session_id=stale.pk)
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    TutorSession.objects.filter(pk=stale.pk).update(created_at=an_hour_ago, started_at=an_hour_ago)
    turn_record(session_id=stale.pk, index=0, role="tutor", text="Bonjour", started_at=an_hour_ago,
                         ended_at=an_hour_ago)  # fmt: skip
    active = session_create(student=student, lesson=lesson)
    session_mark_live(session_id=active.pk)
    TutorSession.objects.filter(pk=active.pk).update(created_at=an_hour_ago)
    turn_record(
        session_id=active.pk, index=0, role="tutor", text="Bonjour", started_at=timezone.now(), ended_at=timezone.now()
    )
    assert sessions_end_stale(idle_for=dt.timedelta(minutes=30)) == 1
    stale.refresh_from_db()
    active.refresh_from_db()
    assert (stale.status, stale.end_reason, active.status) == ("ended", "disconnected", "live")
    assert SessionReport.objects.filter(session=stale).exists()


def test_a_lesson_may_pick_its_providers_model(student, teacher, settings):
    configure_tutor(settings, openai={"api_key": "key"})
    lesson = lesson_create(spec=lesson_spec(provider="openai", model="gpt-realtime-mini"), author=teacher)
    assert session_create(student=student, lesson=lesson).model == "gpt-realtime-mini"
    configure_tutor(
        settings, openai={"api_key": ""}
    )  # the lesson's provider is not available here: the site default runs it
    assert session_create(student=student, lesson=lesson).model == "offline"
