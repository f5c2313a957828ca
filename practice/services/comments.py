"""Writes of the teacher's review: comments the student sees with the session."""

from accounts.models import User

from ..models import SessionComment, TutorSession


def comment_create(*, session: TutorSession, author: User, text: str) -> SessionComment:
    text = text.strip()
    if not text:
        raise ValueError("empty comment")
    return SessionComment.objects.create(session=session, author=author, text=text)
