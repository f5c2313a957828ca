"""Reads for live sessions; every query that a person triggers goes through sessions_visible_to."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from lessons.models import Lesson
from lessons.selectors import lesson_spec_of
from tutor.accounts.models import User

from .live.setup import (
    ContextTurn,
    LearnerProfile,
    LessonBrief,
    RestoredContext,
)
from .live.store import CorrectionNote, FinishedTurn, StoredState
from .models import (
    ContextSummary,
    Correction,
    SessionComment,
    SessionReport,
    SessionStatus,
    Turn,
    TutorSession,
    VocabularyEvent,
    VocabularyStatus,
)


def sessions_visible_to(*, user: User) -> QuerySet[TutorSession]:
    """A student sees their own sessions, a teacher those of their classes' students, staff all."""
    sessions = TutorSession.objects.select_related("lesson", "student")
    if user.is_operator:
        return sessions
    if user.is_teacher:
        return sessions.filter(Q(student=user) | Q(student__enrollments__classroom__teacher=user)).distinct()
    return sessions.filter(student=user)


def session_for_viewer(*, user: User, session_id: int) -> TutorSession:
    """The session, or TutorSession.DoesNotExist when it is not the user's to see."""
    return sessions_visible_to(user=user).get(pk=session_id)


def session_detail(*, session_id: int) -> TutorSession:
    """One session with everything its pages show, in a fixed number of queries."""
    return (
        TutorSession.objects.select_related("lesson", "student")
        .prefetch_related(
            Prefetch("turns", queryset=Turn.objects.order_by("index")),
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at")),
            "vocabulary_events",
            "summaries",
            "usage",
            Prefetch("comments", queryset=SessionComment.objects.select_related("author")),
        )
        .get(pk=session_id)
    )


def live_session_of(*, student: User, lesson_id: int) -> TutorSession | None:
    """The student's unfinished session of this lesson, so "continue" carries on instead of starting over."""
    return (
        TutorSession.objects.filter(student=student, lesson_id=lesson_id, status__in=["created", "live"])
        .order_by("-created_at")
        .first()
    )


# ---- what the live engine needs, as plain values (tutor/live knows nothing of the ORM) ----------


def lesson_brief_for(*, lesson: Lesson) -> LessonBrief:
    return lesson_spec_of(lesson).brief()


def learner_profile_for(*, student: User, language: str, before_session_id: int | None = None) -> LearnerProfile:
    """The learner and what their latest reports in this language say (the tutor's memory of them)."""
    base = language.split("-")[0]
    sessions = TutorSession.objects.filter(
        student=student, lesson__language__startswith=base, status__in=["ended", "failed"]
    )
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
        recent=tuple(ContextTurn(role=t.role, text=t.text) for t in reversed(turns)),
    )


def session_state(*, session_id: int, recent_turns: int) -> StoredState:
    session = TutorSession.objects.get(pk=session_id)
    turns = list(session.turns.order_by("index"))
    elapsed = (timezone.now() - session.started_at).total_seconds() if session.started_at else 0.0
    return StoredState(
        next_turn_index=turns[-1].index + 1 if turns else 0,
        elapsed_seconds=elapsed,
        resumption_handle=session.resumption_handle or None,
        context=session_context(session_id=session_id, recent_turns=recent_turns),
        turns=tuple(
            FinishedTurn(t.index, t.role, t.text, t.started_at, t.ended_at, t.audio_ms, t.interrupted) for t in turns
        ),
        corrections=tuple(
            CorrectionNote(c.original, c.corrected, c.explanation, c.category, c.turn_index)
            for c in session.corrections.order_by("created_at")
        ),
    )


# ---- the student's pages: history, one session's page, its report ------------------------------


@dataclass(frozen=True)
class TranscriptLine:
    """A turn and the corrections of it, which the pages show under the student's line."""

    turn: Turn
    corrections: tuple[Correction, ...]


@dataclass(frozen=True)
class WordChip:
    term: str
    translation: str
    status: str  # "", "used" or "learned"


@dataclass(frozen=True)
class ObjectiveItem:
    text: str
    met: bool


def session_history(*, student: User) -> QuerySet[TutorSession]:
    """The student's sessions, newest first, with what the history list shows of each."""
    return (
        TutorSession.objects.filter(student=student)
        .select_related("lesson", "report")
        .annotate(
            correction_count=Count("corrections", distinct=True),
            learned_count=Count(
                "vocabulary_events__word",
                filter=Q(vocabulary_events__status=VocabularyStatus.LEARNED),
                distinct=True,
            ),
        )
        .order_by("-created_at")
    )


def unfinished_sessions_by_lesson(*, student: User) -> dict[int, TutorSession]:
    """Lesson id to the student's newest unfinished session of it: those lessons offer "Continue"."""
    sessions = TutorSession.objects.filter(
        student=student, status__in=[SessionStatus.CREATED, SessionStatus.LIVE]
    ).order_by("created_at")
    return {session.lesson_id: session for session in sessions}


def transcript_lines(*, session: TutorSession) -> tuple[list[TranscriptLine], list[Correction]]:
    """Turns with their corrections, and corrections that belong to no recorded turn.

    Works on a session from `session_detail` (turns and corrections prefetched): no further query.
    """
    turns = list(session.turns.all())
    by_turn: dict[int, list[Correction]] = {turn.index: [] for turn in turns}
    loose = []
    for correction in session.corrections.all():
        if correction.turn_index in by_turn:
            by_turn[correction.turn_index].append(correction)
        else:
            loose.append(correction)
    return [TranscriptLine(turn, tuple(by_turn[turn.index])) for turn in turns], loose


def session_words(*, session: TutorSession) -> list[WordChip]:
    """The lesson's words with what the student did with each, then other words the tutor noted."""
    status: dict[str, str] = {}
    for event in session.vocabulary_events.all():
        if status.get(event.word) != VocabularyStatus.LEARNED:
            status[event.word] = event.status
    chips = [
        WordChip(item.term, item.translation, status.pop(item.term, "")) for item in session.lesson.vocabulary.all()
    ]
    return chips + [WordChip(word, "", state) for word, state in status.items()]


def session_objectives(*, session: TutorSession) -> list[ObjectiveItem]:
    met = set(session.objectives_met)
    listed = [ObjectiveItem(text, text in met) for text in session.lesson.objectives]
    return listed + [
        ObjectiveItem(text, True) for text in session.objectives_met if text not in session.lesson.objectives
    ]


def session_report(*, session_id: int) -> SessionReport | None:
    """The session's report (None until the session ends), with the suggested lesson."""
    return SessionReport.objects.select_related("suggested_lesson").filter(session_id=session_id).first()


@dataclass(frozen=True)
class SessionPage:
    session: TutorSession
    lines: list[TranscriptLine]
    loose_corrections: list[Correction]
    words: list[WordChip]
    objectives: list[ObjectiveItem]
    report: SessionReport | None


def session_page(*, session_id: int) -> SessionPage:
    """Everything the session's page shows: transcript with corrections, words, objectives, report."""
    session = session_detail(session_id=session_id)
    lines, loose = transcript_lines(session=session)
    return SessionPage(
        session=session,
        lines=lines,
        loose_corrections=loose,
        words=session_words(session=session),
        objectives=session_objectives(session=session),
        report=session_report(session_id=session_id),
    )
