"""How each kind of note the tutor takes (tutor.events.Note) is kept in the database: the one table of it, which
the service that records a note (services/recording.py `note_record`) and the selector that reads them back
(selectors/notes.py `session_notes`) both go through.

A kind kept as rows has a model whose fields are the note's own, its `turn` kept as `turn_index`; a new kind of
note needs such a model and a line here (docs/architecture.md, "A new kind of note").
"""

from dataclasses import fields
from typing import Protocol

from django.db import models, transaction

from tutor.events import CorrectionNoted, Note, ObjectiveMet, PronunciationNoted, VocabularyNoted

from .models import Correction, PronunciationNote, TutorSession, VocabularyEvent


class NoteKeeping(Protocol):
    def record(self, *, session_id: int, note: Note) -> models.Model | None: ...

    def read(self, *, session: TutorSession) -> list[Note]:
        """The session's notes of this kind, in the order taken."""
        ...


class Rows:
    """Each note a row of `model`, found from the session by `related_name`. A value outside a column's choices
    is that column's default where it has one (an unknown kind of correction is "other"), else refused."""

    def __init__(self, note: type, model: type[models.Model], related_name: str) -> None:
        self.note, self.model, self.related_name = note, model, related_name
        self.columns = {field.name: "turn_index" if field.name == "turn" else field.name for field in fields(note)}

    def record(self, *, session_id: int, note: Note) -> models.Model:
        values = {column: self._valid(column, getattr(note, name)) for name, column in self.columns.items()}
        return self.model.objects.create(session_id=session_id, **values)

    def _valid(self, column: str, value: object) -> object:
        field = self.model._meta.get_field(column)
        if not field.choices or value in {choice for choice, _label in field.choices}:
            return value
        if field.has_default():
            return field.get_default()
        raise ValueError(f"{value!r} is not a {field.verbose_name} of a {self.note.kind} note")

    def read(self, *, session: TutorSession) -> list[Note]:
        rows = getattr(session, self.related_name).order_by("created_at", "id").values(*self.columns.values())
        return [self.note(**{name: row[column] for name, column in self.columns.items()}) for row in rows]


class MetObjectives:
    """Objectives are kept on the session, in the lesson's wording, each once (reports and progress read them)."""

    def record(self, *, session_id: int, note: Note) -> None:
        with transaction.atomic():
            session = TutorSession.objects.select_for_update().get(pk=session_id)
            if note.objective not in session.objectives_met:
                session.objectives_met = [*session.objectives_met, note.objective]
                session.save(update_fields=["objectives_met"])

    def read(self, *, session: TutorSession) -> list[Note]:
        return [ObjectiveMet(objective) for objective in session.objectives_met]


NOTE_KEEPING: dict[type, NoteKeeping] = {
    CorrectionNoted: Rows(CorrectionNoted, Correction, "corrections"),
    VocabularyNoted: Rows(VocabularyNoted, VocabularyEvent, "vocabulary_events"),
    PronunciationNoted: Rows(PronunciationNoted, PronunciationNote, "pronunciation_notes"),
    ObjectiveMet: MetObjectives(),
}
