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
    USAGE_PURPOSES,
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
from .costs import Spend, spend_sums
from .deck import session_cards
from .sessions import ReportWords, TranscriptLine, report_words, session_detail, session_report, transcript_lines

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
        unpriced_usage=_count(UsageRecord, cost_usd__isnull=True),
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
    cost: Spend


@dataclass(frozen=True)
class UsageGroup:
    """What one purpose of a session used (the conversation, transcription, summaries, the report): its
    records summed, instead of one line per provider response."""

    purpose: str
    label: str
    models: tuple[str, ...]
    records: int
    tokens: dict[str, int]
    cost: Spend


def usage_by_purpose(*, session: TutorSession) -> list[UsageGroup]:
    """The session's usage grouped by purpose in the database, in the order of USAGE_PURPOSES."""
    rows = session.usage.order_by().values("purpose")
    # Aliased: an annotation may not take the name of the field it sums.
    sums = rows.annotate(records=Count("pk"), **spend_sums(), **{f"sum_{name}": Sum(name) for name in TOKEN_FIELDS})
    models: dict[str, set[str]] = {}
    # The offline tutor's model is "offline": it names nothing a teacher would look up.
    for purpose, model in rows.exclude(provider="offline").exclude(model="").values_list("purpose", "model").distinct():
        models.setdefault(purpose, set()).add(model)
    order = list(USAGE_PURPOSES)
    groups = [
        UsageGroup(
            purpose=row["purpose"],
            label=str(USAGE_PURPOSES.get(row["purpose"], row["purpose"])),
            models=tuple(sorted(models.get(row["purpose"], ()))),
            records=row["records"],
            tokens={name: row[f"sum_{name}"] or 0 for name in TOKEN_FIELDS},
            cost=Spend(row["usd"], row["unpriced"] > 0),
        )
        for row in sums
    ]
    return sorted(groups, key=lambda g: (order.index(g.purpose) if g.purpose in order else len(order), g.purpose))


@dataclass
class SessionReview:
    """One session as the teacher's review page shows it."""

    session: TutorSession
    report: SessionReport | None
    transcript: list[TranscriptLine] = field(default_factory=list)
    loose_corrections: list[Correction] = field(default_factory=list)
    words_used: list[str] = field(default_factory=list)
    words_learned: list[str] = field(default_factory=list)
    usage: list[UsageGroup] = field(default_factory=list)
    totals: UsageTotals = field(default_factory=lambda: UsageTotals({}, Spend()))
    cards: list[Card] = field(default_factory=list)
    report_words: ReportWords | None = None  # the report's words for the reader, once it is ready

    @property
    def cards_made(self) -> bool:
        return self.session.deck_updated_at is not None

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
    usage = usage_by_purpose(session=session)
    report = session_report(session_id=session_id)
    return SessionReview(
        session=session,
        report=report,
        report_words=report_words(report=report) if report and report.status == ReportStatus.READY else None,
        transcript=transcript,
        loose_corrections=loose,
        words_used=sorted({e.word for e in events if e.status == "used"}),
        words_learned=sorted({e.word for e in events if e.status == "learned"}),
        usage=usage,
        totals=UsageTotals(
            tokens={name: sum(group.tokens[name] for group in usage) for name in TOKEN_FIELDS},
            cost=sum((group.cost for group in usage), Spend()),
        ),
        cards=list(session_cards(session_id=session.pk)),
    )
