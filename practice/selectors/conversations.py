"""A session's conversation as plain values, for the writers of summaries and reports (practice/writers.py): the
lesson's text in the language they are written in, the session's own words as they were said."""

from lessons import texts

from ..models import Turn, TutorSession
from ..writers import Conversation, CorrectionText, TurnText


def conversation_of(
    session: TutorSession, *, after: int = -1, through: int | None = None, language: str = ""
) -> Conversation:
    """`language`: what the summary or report is written in; by default the session's (TutorSession.written_for)."""
    language = language or session.written_for
    lesson = session.lesson
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
        lesson_title=texts.title(lesson, language).text,
        language=lesson.language,
        scenario=lesson.scenario,
        learner=session.student.first_name or session.student.username,
        tutor=texts.persona(lesson, language),
        turns=tuple(TurnText(t.index, t.role, t.text) for t in turns),
        corrections=tuple(
            CorrectionText(c.original, c.corrected, c.category, c.explanation, c.turn_index, c.rule)
            for c in corrections.order_by("created_at")
        ),
        words_used=tuple(dict.fromkeys(events.values_list("word", flat=True))),
        words_learned=tuple(dict.fromkeys(events.filter(status="learned").values_list("word", flat=True))),
        objectives=tuple(shown.text for shown in texts.objectives(lesson, language)),
        objectives_met=tuple(texts.objective(lesson, met, language).text for met in session.objectives_met),
        minutes=session.practised_seconds / 60,
        reader_language=language,
    )
