"""Reads for the teacher's review of sessions: the filtered list, one session in full, and what a live
view needs first. Every query starts from sessions_visible_to, so a teacher sees only their students."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from lessons.models import Classroom, Enrollment, Lesson
from tutor.accounts.models import User

from .live.events import ClientEvent, CorrectionNoted, ObjectiveMet, TranscriptUpdate, VocabularyNoted
from .models import (
    Correction,
    ReportStatus,
    SessionComment,
    SessionReport,
    SessionStatus,
    Turn,
    TutorSession,
    UsageRecord,
)
from .selectors import session_detail, sessions_visible_to

TOKEN_FIELDS = (
    "text_in_tokens",
    "audio_in_tokens",
    "image_in_tokens",
    "cached_in_tokens",
    "text_out_tokens",
    "audio_out_tokens",
    "total_tokens",
)


def _count(model, **extra) -> Subquery:
    """A per-session count as a subquery: joins through enrolments would multiply a plain Count."""
    rows = model.objects.filter(session=OuterRef("pk"), **extra).order_by().values("session")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), Value(0))


def _cost() -> Subquery:
    rows = UsageRecord.objects.filter(session=OuterRef("pk")).order_by().values("session")
    money = DecimalField(max_digits=14, decimal_places=6)
    return Coalesce(Subquery(rows.annotate(c=Sum("cost_usd")).values("c")), Value(Decimal(0)), output_field=money)


def sessions_for_review(
    *,
    user: User,
    classroom: Classroom | None = None,
    student: User | None = None,
    lesson: Lesson | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[TutorSession]:
    """The teacher's students' sessions, newest first, with what the list shows of each."""
    sessions = sessions_visible_to(user=user).exclude(student=user)
    if classroom is not None:
        sessions = sessions.filter(student__in=Enrollment.objects.filter(classroom=classroom).values("student"))
    if student is not None:
        sessions = sessions.filter(student=student)
    if lesson is not None:
        sessions = sessions.filter(lesson=lesson)
    if date_from is not None:
        sessions = sessions.filter(created_at__date__gte=date_from)
    if date_to is not None:
        sessions = sessions.filter(created_at__date__lte=date_to)
    report_status = SessionReport.objects.filter(session=OuterRef("pk")).values("status")
    return sessions.annotate(
        turn_count=_count(Turn),
        correction_count=_count(Correction),
        comment_count=_count(SessionComment),
        cost_usd=_cost(),
        report_status=Subquery(report_status),
    ).order_by("-created_at")


def lessons_reviewed_by(*, user: User) -> QuerySet[Lesson]:
    """The lessons the teacher's students have had sessions of: the lesson filter's choices."""
    sessions = sessions_visible_to(user=user).exclude(student=user)
    return Lesson.objects.filter(pk__in=sessions.values("lesson")).order_by("title")


def sessions_live_now(*, user: User) -> QuerySet[TutorSession]:
    return sessions_for_review(user=user).filter(status=SessionStatus.LIVE)


def sessions_needing_review(*, user: User, limit: int = 10) -> list[TutorSession]:
    """Finished sessions nobody has commented on yet, newest first."""
    finished = sessions_for_review(user=user).filter(status__in=[SessionStatus.ENDED, SessionStatus.FAILED])
    return list(finished.filter(comment_count=0)[:limit])


@dataclass(frozen=True)
class UsageTotals:
    tokens: dict[str, int]
    cost_usd: Decimal


@dataclass(frozen=True)
class TranscriptLine:
    turn: Turn
    corrections: list[Correction]


@dataclass
class SessionReview:
    """One session as the teacher's review page shows it."""

    session: TutorSession
    report: SessionReport | None
    transcript: list[TranscriptLine] = field(default_factory=list)
    loose_corrections: list[Correction] = field(default_factory=list)
    words_used: list[str] = field(default_factory=list)
    words_learned: list[str] = field(default_factory=list)
    usage: list[UsageRecord] = field(default_factory=list)
    totals: UsageTotals = field(default_factory=lambda: UsageTotals({}, Decimal(0)))

    @property
    def report_categories(self) -> list[tuple[str, int]]:
        """The report's corrections by kind, labelled, most frequent first."""
        if self.report is None or self.report.status != ReportStatus.READY:
            return []
        return [(kind.label, kind.count) for kind in self.report.correction_kinds]


def session_review(*, session_id: int) -> SessionReview:
    session = session_detail(session_id=session_id)
    report = SessionReport.objects.select_related("suggested_lesson").filter(session=session).first()
    by_turn: dict[int | None, list[Correction]] = defaultdict(list)
    for correction in session.corrections.all():
        by_turn[correction.turn_index].append(correction)
    turns = list(session.turns.all())
    indexes = {turn.index for turn in turns}
    events = list(session.vocabulary_events.all())
    usage = sorted(session.usage.all(), key=lambda row: row.created_at)
    return SessionReview(
        session=session,
        report=report,
        transcript=[TranscriptLine(turn, by_turn.get(turn.index, [])) for turn in turns],
        loose_corrections=[c for index, found in by_turn.items() if index not in indexes for c in found],
        words_used=sorted({e.word for e in events if e.status == "used"}),
        words_learned=sorted({e.word for e in events if e.status == "learned"}),
        usage=usage,
        totals=UsageTotals(
            tokens={name: sum(getattr(row, name) for row in usage) for name in TOKEN_FIELDS},
            cost_usd=sum((row.cost_usd for row in usage), Decimal(0)),
        ),
    )


# ---- the live view -------------------------------------------------------------------------------


def session_watchable_by(*, user: User, session_id: int) -> TutorSession | None:
    """The session if this user may watch it: a teacher of its student's class, or staff."""
    if not user.is_authenticated:
        return None
    session = TutorSession.objects.select_related("student", "lesson").filter(pk=session_id).first()
    if session is None:
        return None
    if user.is_operator:
        return session
    teaches = user.is_teacher and Enrollment.objects.filter(student=session.student, classroom__teacher=user).exists()
    return session if teaches else None


@dataclass(frozen=True)
class WatchStart:
    """What a live view gets first: the session's state and everything it has written so far."""

    status: str
    end_reason: str
    events: list[ClientEvent]


def watch_history(*, session_id: int) -> WatchStart:
    session = TutorSession.objects.get(pk=session_id)
    events: list[ClientEvent] = [
        TranscriptUpdate(role=t.role, turn=t.index, text=t.text, final=True) for t in session.turns.order_by("index")
    ]
    events += [
        CorrectionNoted(c.original, c.corrected, c.explanation, c.category, c.turn_index)
        for c in session.corrections.order_by("created_at", "id")
    ]
    events += [VocabularyNoted(v.word, v.status) for v in session.vocabulary_events.order_by("created_at", "id")]
    events += [ObjectiveMet(objective) for objective in session.objectives_met]
    return WatchStart(status=session.status, end_reason=session.end_reason, events=events)
