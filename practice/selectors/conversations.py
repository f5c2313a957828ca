"""A session's conversation as plain values, for the writers of summaries and reports (practice/writers.py)."""

from ..models import Turn, TutorSession
from ..writers import Conversation, CorrectionText, TurnText


def conversation_of(session: TutorSession, *, after: int = -1, through: int | None = None) -> Conversation:
    turns = Turn.objects.filter(session=session, index__gt=after).order_by("index")
    if through is not None:
        turns = turns.filter(index__lte=through)
    turns = list(turns)
    indices = [t.index for t in turns]
    corrections = session.corrections.filter(turn_index__in=indices) if through is not None else session.corrections
    events = (
        session.vocabulary_events.filter(turn_index__in=indices) if through is not None else session.vocabulary_events
    )
    return Conversation(
        lesson_title=session.lesson.title,
        language=session.lesson.language,
        scenario=session.lesson.scenario,
        learner=session.student.first_name or session.student.username,
        tutor=session.lesson.persona_name,
        turns=tuple(TurnText(t.index, t.role, t.text) for t in turns),
        corrections=tuple(
            CorrectionText(c.original, c.corrected, c.category, c.explanation, c.turn_index)
            for c in corrections.order_by("created_at")
        ),
        words_used=tuple(dict.fromkeys(events.values_list("word", flat=True))),
        words_learned=tuple(dict.fromkeys(events.filter(status="learned").values_list("word", flat=True))),
        objectives=tuple(session.lesson.objectives),
        objectives_met=tuple(session.objectives_met),
        minutes=session.duration_seconds / 60,
        reader_language=session.student.reading_language,
    )
