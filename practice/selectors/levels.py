"""Reads of a learner's level per language, and whether their recent sessions suggest moving it.

A suggestion looks at the last few finished sessions whose lesson is at the learner's level: when each of them
had few corrections per thing the student said and met most of its objectives, one level up; when they had
many corrections or met few objectives, one level down. It is only a suggestion: the student may accept it,
a teacher may set any level.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from accounts.models import User
from lessons.models import Level, Purpose

from ..models import FINISHED, LearnerProgress, ReportStatus, Speaker, TutorSession

RECENT_SESSIONS = 3
UP_CORRECTIONS_PER_TURN, UP_OBJECTIVES = 0.15, 0.8
DOWN_CORRECTIONS_PER_TURN, DOWN_OBJECTIVES = 0.5, 0.34


@dataclass(frozen=True)
class LevelRow:
    language: str
    progress: LearnerProgress
    suggestion: str  # a level to move to, or ""

    @property
    def direction(self) -> str:
        if not self.suggestion or not self.progress.level:
            return ""
        return "up" if Level.values.index(self.suggestion) > Level.values.index(self.progress.level) else "down"


def level_of(*, student: User, language: str) -> str:
    base = language.split("-")[0].lower()
    return LearnerProgress.objects.filter(student=student, language=base).values_list("level", flat=True).first() or ""


def level_suggestion(*, student: User, progress: LearnerProgress) -> str:
    if not progress.level:
        return ""
    sessions = list(
        TutorSession.objects.filter(
            student=student,
            status__in=FINISHED,
            lesson__purpose=Purpose.LESSON,
            lesson__level=progress.level,
            lesson__language__startswith=progress.language,
            report__status=ReportStatus.READY,
        )
        .select_related("lesson")
        .annotate(
            said=Count("turns", filter=Q(turns__role=Speaker.STUDENT), distinct=True),
            corrected=Count("corrections", distinct=True),
        )
        .order_by("-created_at")[:RECENT_SESSIONS]
    )
    if len(sessions) < RECENT_SESSIONS or any(s.said == 0 for s in sessions):
        return ""
    rates = [s.corrected / s.said for s in sessions]
    met = [len(set(s.objectives_met) & set(s.lesson.objectives)) / len(s.lesson.objectives) if s.lesson.objectives
           else 1.0 for s in sessions]  # fmt: skip
    here = Level.values.index(progress.level)
    if all(r <= UP_CORRECTIONS_PER_TURN for r in rates) and all(m >= UP_OBJECTIVES for m in met):
        return Level.values[here + 1] if here + 1 < len(Level.values) else ""
    if sum(rates) / len(rates) >= DOWN_CORRECTIONS_PER_TURN or sum(met) / len(met) < DOWN_OBJECTIVES:
        return Level.values[here - 1] if here > 0 else ""
    return ""


def levels_of(*, student: User, suggest: bool = True) -> list[LevelRow]:
    """The learner's languages with a level or some practice, each with its suggestion (a query over the
    recent sessions per language: `suggest=False` where a page shows none)."""
    rows = LearnerProgress.objects.filter(student=student).order_by("language")
    return [LevelRow(p.language, p, level_suggestion(student=student, progress=p) if suggest else "") for p in rows]
