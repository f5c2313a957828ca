"""Recorded conversations for summary and report tests."""

import datetime as dt

from django.utils import timezone

from tutor import services
from tutor.models import TutorSession

EXCHANGES = [
    ("Bonjour ! Qu'est-ce que vous voulez boire ?", "Je voudrait un café, s'il vous plaît"),
    ("Presque ! On dit : je voudrais un café. Et avec ça ?", "Un croissant, s'il vous plaît"),
    ("Très bien. Autre chose ?", "Non merci, l'addition s'il vous plaît"),
    ("Voilà l'addition. Vous payez comment ?", "Par carte"),
]


def recorded_session(student, lesson, *, exchanges: int = 4, minutes: int = 6) -> TutorSession:
    """A finished-looking session: alternating tutor/student turns, one grammar correction, words."""
    session = services.session_create(student=student, lesson=lesson)
    services.session_mark_live(session_id=session.pk)
    start = timezone.now() - dt.timedelta(minutes=minutes)
    TutorSession.objects.filter(pk=session.pk).update(started_at=start)
    index = 0
    for round_ in range(exchanges):
        tutor_line, student_line = EXCHANGES[round_ % len(EXCHANGES)]
        for role, text in (("tutor", tutor_line), ("student", student_line)):
            at = start + dt.timedelta(seconds=20 * index)
            services.turn_record(session_id=session.pk, index=index, role=role, text=text, started_at=at, ended_at=at)
            index += 1
    services.correction_record(
        session_id=session.pk, turn_index=1, original="Je voudrait", corrected="Je voudrais",
        explanation="first person: -s", category="grammar",
    )  # fmt: skip
    services.vocabulary_record(session_id=session.pk, turn_index=1, word="un café", status="used")
    services.vocabulary_record(session_id=session.pk, turn_index=5, word="l'addition", status="learned")
    services.objective_record(session_id=session.pk, objective="Order a drink")
    session.refresh_from_db()
    return session
