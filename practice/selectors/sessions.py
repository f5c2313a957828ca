"""Reads of sessions for the student's pages and the teacher's review: the history, one session in full
(its transcript with each correction and pronunciation note under the turn it is about, words, objectives,
report, the cards it made)."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import User
from lessons import texts
from lessons.texts import reader_language

from ..models import (
    UNFINISHED,
    Card,
    CardReview,
    Correction,
    PronunciationNote,
    ReportStatus,
    ReportVersion,
    SessionComment,
    SessionReport,
    Turn,
    TutorSession,
    VocabularyStatus,
)
from .deck import session_cards


def session_detail(*, session_id: int) -> TutorSession:
    """One session with everything its pages show, in a fixed number of queries."""
    return (
        TutorSession.objects.select_related("lesson", "student")
        .prefetch_related(
            Prefetch("turns", queryset=Turn.objects.order_by("index")),
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at")),
            Prefetch("pronunciation_notes", queryset=PronunciationNote.objects.order_by("created_at", "id")),
            "vocabulary_events",
            "summaries",
            Prefetch("comments", queryset=SessionComment.objects.select_related("author")),
        )
        .get(pk=session_id)
    )


@dataclass(frozen=True)
class TranscriptLine:
    """A turn and the corrections and pronunciation notes of it, which the pages show under the student's line."""

    turn: Turn
    corrections: tuple[Correction, ...]
    pronunciations: tuple[PronunciationNote, ...] = ()
    switched: bool = False  # the tutor service changed before this turn (failover): the pages say so


@dataclass(frozen=True)
class WordChip:
    term: str
    translation: texts.Shown | None  # in the reader's language where the lesson gives it
    status: str  # "", "used" or "learned"


@dataclass(frozen=True)
class ObjectiveItem:
    text: str  # the lesson's own wording: the objective's identity
    met: bool
    shown: texts.Shown  # what the reader reads


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
    sessions = TutorSession.objects.filter(student=student, status__in=UNFINISHED).order_by("created_at")
    return {session.lesson_id: session for session in sessions}


def transcript_lines(*, session: TutorSession) -> tuple[list[TranscriptLine], list[Correction]]:
    """Turns with their corrections and pronunciation notes, and the corrections that belong to no recorded turn
    (every pronunciation note is also listed on its own, `session.pronunciation_notes`).

    Works on a session from `session_detail` (turns and notes prefetched): no further query.
    """
    turns = list(session.turns.all())
    by_turn: dict[int, list[Correction]] = {turn.index: [] for turn in turns}
    sounds: dict[int, list[PronunciationNote]] = {turn.index: [] for turn in turns}
    loose: list[Correction] = []
    for correction in session.corrections.all():
        if correction.turn_index in by_turn:
            by_turn[correction.turn_index].append(correction)
        else:
            loose.append(correction)
    for note in session.pronunciation_notes.all():
        if note.turn_index in sounds:
            sounds[note.turn_index].append(note)
    lines: list[TranscriptLine] = []
    before: tuple[str, str] | None = None  # the provider and model of the last turn that names one
    for t in turns:
        switched = before is not None and bool(t.provider) and (t.provider, t.model) != before
        lines.append(TranscriptLine(t, tuple(by_turn[t.index]), tuple(sounds[t.index]), switched))
        before = (t.provider, t.model) if t.provider else before
    return lines, loose


def session_words(*, session: TutorSession) -> list[WordChip]:
    """The lesson's words with what the student did with each, then other words the tutor noted."""
    status: dict[str, str] = {}
    for event in session.vocabulary_events.all():
        if status.get(event.word) != VocabularyStatus.LEARNED:
            status[event.word] = event.status
    lesson = session.lesson
    chips = [
        WordChip(item.term, texts.word_translation(item, lesson), status.pop(item.term, ""))
        for item in lesson.vocabulary.all()
    ]
    return chips + [WordChip(word, None, state) for word, state in status.items()]


def session_objectives(*, session: TutorSession) -> list[ObjectiveItem]:
    """The lesson's objectives in the reader's language, each with whether the session met it; then any other the
    tutor noted."""
    lesson, met = session.lesson, set(session.objectives_met)
    listed = [ObjectiveItem(text, text in met, texts.objective(lesson, text)) for text in lesson.objectives]
    return listed + [
        ObjectiveItem(text, True, texts.objective(lesson, text))
        for text in session.objectives_met
        if text not in lesson.objectives
    ]


def session_report(*, session_id: int) -> SessionReport | None:
    """The session's report (None until the session ends), with the suggested lesson."""
    return SessionReport.objects.select_related("suggested_lesson").filter(session_id=session_id).first()


@dataclass(frozen=True)
class ReportWords:
    """A report's words (summary, strengths, weak points) as one reader gets them: in their language when the report
    was written in it or a version was, else in the report's own, which the page names."""

    summary: str
    strengths: list[str]
    weak_points: list[str]
    language: str  # what they are written in ("" for a report from before it was kept)
    reader: str  # the reader's language
    version: ReportVersion | None  # the reader's version, once asked for, with its status

    @property
    def in_readers_language(self) -> bool:
        return not self.language or self.language == self.reader

    @property
    def status(self) -> str:
        """The report's status for this reader: a version asked for and not written yet keeps the page waiting."""
        waiting = (ReportStatus.PENDING, ReportStatus.RUNNING)
        return self.version.status if self.version is not None and self.version.status in waiting else "ready"


def report_words(*, report: SessionReport, language: str | None = None) -> ReportWords:
    reader = reader_language(language)
    own = ReportWords(report.summary, report.strengths, report.weak_points, report.language, reader, None)
    if own.in_readers_language:
        return own
    version = ReportVersion.objects.filter(report=report, language=reader).first()
    if version is not None and version.status == ReportStatus.READY:
        return ReportWords(version.summary, version.strengths, version.weak_points, reader, reader, version)
    return ReportWords(report.summary, report.strengths, report.weak_points, report.language, reader, version)


@dataclass(frozen=True)
class SessionPage:
    session: TutorSession
    lines: list[TranscriptLine]
    loose_corrections: list[Correction]
    words: list[WordChip]
    objectives: list[ObjectiveItem]
    report: SessionReport | None
    report_words: ReportWords | None  # the report's words for the reader, once it is ready
    cards: list[Card]
    cards_made: bool  # the deck task has run: `cards` is all the session gives
    reviews: list[CardReview]  # a spoken review's ratings


def session_page(*, session_id: int) -> SessionPage:
    """Everything the session's page shows: transcript with corrections, words, objectives, report."""
    session = session_detail(session_id=session_id)
    lines, loose = transcript_lines(session=session)
    report = session_report(session_id=session_id)
    return SessionPage(
        session=session,
        lines=lines,
        loose_corrections=loose,
        words=session_words(session=session),
        objectives=session_objectives(session=session),
        report=report,
        report_words=report_words(report=report) if report and report.status == ReportStatus.READY else None,
        cards=list(session_cards(session_id=session.pk)),
        cards_made=session.deck_updated_at is not None,
        reviews=list(CardReview.objects.filter(session=session).select_related("card").order_by("reviewed_at", "pk")),
    )
