"""The notes the tutor took in a session, of every kind, as the engine's typed values (tutor.events.Note)."""

from tutor.events import Note

from ..models import TutorSession
from ..notes import NOTE_KEEPING


def session_notes(*, session: TutorSession) -> tuple[Note, ...]:
    """Every note of the session: kind after kind, each kind in the order taken."""
    return tuple(note for keeping in NOTE_KEEPING.values() for note in keeping.read(session=session))
