"""What the live engine needs of the database, as plain values (the engine knows nothing of the ORM): the
session's brief (its lesson's, or a spoken review's made of its cards), the learner and the tutor's memory of
them, where a session stands, and what a teacher's live view is shown first."""

from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from lessons.models import Lesson, Purpose
from lessons.selectors.lessons import lesson_spec_of
from tutor.brief import ContextTurn, LearnerProfile, LessonBrief, RestoredContext
from tutor.drill import DrillItem, drill_brief
from tutor.events import ClientEvent
from tutor.session.store import FinishedTurn, StoredState, replay

from ..models import (
    FINISHED,
    ContextSummary,
    SessionReport,
    Turn,
    TutorSession,
    VocabularyEvent,
)
from .levels import level_of
from .notes import session_notes


def lesson_brief_for(*, lesson: Lesson) -> LessonBrief:
    return lesson_spec_of(lesson).brief()


def session_brief(*, session: TutorSession) -> LessonBrief:
    """What the tutor plays in this session: its lesson, or for a spoken review the cards it drills, at the
    student's level in that language."""
    lesson = session.lesson
    if lesson.purpose != Purpose.REVIEW:
        return lesson_brief_for(lesson=lesson)
    drilled = session.drill_cards.select_related("card").order_by("position")
    items = tuple(DrillItem(d.card.kind, d.card.front, d.card.back, d.card.note) for d in drilled)
    level = level_of(student=session.student, language=lesson.language) or lesson.level
    return drill_brief(
        items,
        title=lesson.title,
        language=lesson.language,
        level=level,
        persona_name=lesson.persona_name,
        max_minutes=lesson.max_minutes,
    )


def learner_profile_for(*, student: User, language: str, before_session_id: int | None = None) -> LearnerProfile:
    """The learner and what their latest reports in this language say (the tutor's memory of them)."""
    base = language.split("-")[0]
    sessions = TutorSession.objects.filter(student=student, lesson__language__startswith=base, status__in=FINISHED)
    if before_session_id is not None:
        sessions = sessions.exclude(pk=before_session_id)
    reports = SessionReport.objects.filter(session__in=sessions, status="ready").order_by("-created_at")[:3]
    weak_points = list(dict.fromkeys(point for report in reports for point in report.weak_points))
    words = (
        VocabularyEvent.objects.filter(session__in=sessions, status="learned")
        .order_by("-created_at")
        .values_list("word", flat=True)[:40]
    )
    return LearnerProfile(
        name=student.first_name or student.username,
        native_language=student.native_language or "en",
        weak_points=tuple(weak_points[:6]),
        words_learned=tuple(dict.fromkeys(words)),
        sessions_before=sessions.count(),
    )


def summarized_through(*, session_id: int) -> int:
    """The last turn the newest summary covers, -1 if none."""
    latest = (
        ContextSummary.objects.filter(session_id=session_id)
        .order_by("-through_turn")
        .values_list("through_turn", flat=True)
        .first()
    )
    return -1 if latest is None else latest


def session_context(*, session_id: int, recent_turns: int) -> RestoredContext:
    """Every summary so far, in order (each covers its own turns and is never summarized again), and,
    verbatim, the last turns after them."""
    summaries = list(ContextSummary.objects.filter(session_id=session_id).order_by("through_turn"))
    through = summaries[-1].through_turn if summaries else -1
    turns = list(
        Turn.objects.filter(session_id=session_id, index__gt=through).exclude(text="").order_by("-index")[:recent_turns]
    )
    return RestoredContext(
        summary="\n".join(summary.text for summary in summaries),
        summary_through_turn=through,
        recent=tuple(ContextTurn(role=t.role, text=t.text, index=t.index) for t in reversed(turns)),
    )


def session_state(*, session_id: int, recent_turns: int) -> StoredState:
    """Where a session stands, for a runner that takes it up and for a live view that starts watching."""
    session = TutorSession.objects.get(pk=session_id)
    turns = list(session.turns.order_by("index"))
    elapsed = (timezone.now() - session.started_at).total_seconds() if session.started_at else 0.0
    return StoredState(
        next_turn_index=turns[-1].index + 1 if turns else 0,
        elapsed_seconds=elapsed,
        resumption_handle=session.resumption_handle or None,
        context=session_context(session_id=session_id, recent_turns=recent_turns),
        turns=tuple(
            FinishedTurn(
                t.index, t.role, t.text, t.started_at, t.ended_at, t.audio_ms, t.interrupted, t.provider, t.model
            )
            for t in turns
        ),
        notes=session_notes(session=session),
    )


@dataclass(frozen=True)
class WatchStart:
    """What a live view gets first: the session's state and everything it has written so far."""

    status: str
    end_reason: str
    events: list[ClientEvent]


def watch_start(*, session_id: int) -> WatchStart:
    session = TutorSession.objects.get(pk=session_id)
    events = replay(session_state(session_id=session_id, recent_turns=0))
    return WatchStart(status=session.status, end_reason=session.end_reason, events=events)
