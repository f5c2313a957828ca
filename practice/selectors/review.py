"""Reads for the teacher's review of sessions: the filtered list, what needs attention, and one session in
full with its usage and cost. Every query starts from sessions_visible_to, so a teacher sees only their
students."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from lessons.models import Classroom, Enrollment, Lesson

from ..access import sessions_visible_to
from ..models import (
    FINISHED,
    Card,
    Correction,
    ReportStatus,
    SessionComment,
    SessionReport,
    SessionStatus,
    Turn,
    TutorSession,
    UsageRecord,
)
from .sessions import TranscriptLine, session_detail, session_report, transcript_lines

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
    finished = sessions_for_review(user=user).filter(status__in=FINISHED)
    return list(finished.filter(comment_count=0)[:limit])


@dataclass(frozen=True)
class UsageTotals:
    tokens: dict[str, int]
    cost_usd: Decimal


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
    cards: list[Card] = field(default_factory=list)

    @property
    def report_categories(self) -> list[tuple[str, int]]:
        """The report's corrections by kind, labelled, most frequent first."""
        if self.report is None or self.report.status != ReportStatus.READY:
            return []
        return [(kind.label, kind.count) for kind in self.report.correction_kinds]


def session_review(*, session_id: int) -> SessionReview:
    session = session_detail(session_id=session_id)
    transcript, loose = transcript_lines(session=session)
    events = list(session.vocabulary_events.all())
    usage = sorted(session.usage.all(), key=lambda row: row.created_at)
    return SessionReview(
        session=session,
        report=session_report(session_id=session_id),
        transcript=transcript,
        loose_corrections=loose,
        words_used=sorted({e.word for e in events if e.status == "used"}),
        words_learned=sorted({e.word for e in events if e.status == "learned"}),
        usage=usage,
        totals=UsageTotals(
            tokens={name: sum(getattr(row, name) for row in usage) for name in TOKEN_FIELDS},
            cost_usd=sum((row.cost_usd for row in usage), Decimal(0)),
        ),
        cards=list(Card.objects.filter(source_session=session).order_by("kind", "pk")),
    )
