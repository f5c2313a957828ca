"""A student with some of everything the app can hold about a person, for the export and erasure tests."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from accounts.models import Role
from lessons.services.classrooms import classroom_join
from practice.models import Card
from practice.services.comments import comment_create
from practice.services.deck import deck_update
from practice.services.levels import level_set, placement_record
from practice.services.reports import report_write
from practice.services.reviews import card_review
from practice.services.sessions import session_create
from tests.conftest import make_user
from tests.practice.factories import recorded_session, reviewable_session, spent

USERNAME = "erase-me-zq7"
EMAIL = f"{USERNAME}@example.org"


def full_learner(*, classroom, lesson, teacher, staff):
    """A student in `classroom` with finished, unfinished and costly sessions, a report, a teacher's comment,
    cards with reviews, a level, a placement and an admin log entry about them. Returns (student, sessions)."""
    student = make_user(USERNAME, Role.STUDENT, first_name="Zoé", last_name="Quillet")
    classroom_join(student=student, join_code=classroom.join_code)
    done = reviewable_session(student, lesson, objectives_met=[lesson.objectives[0]])
    report_write(session_id=done.pk)
    deck_update(session_id=done.pk)
    comment_create(session=done, author=teacher, text="Bravo Zoé")
    talked = recorded_session(student, lesson)
    costly = spent(student, lesson, "0.25").session
    open_session = session_create(student=student, lesson=lesson)
    for card in Card.objects.filter(student=student):
        card_review(card_id=card.pk, rating=3)
    level_set(student=student, language="fr", level="A2", source="teacher", by=teacher)
    placement_record(student=student, language="fr", answers={})
    LogEntry.objects.create(
        user=staff, content_type=ContentType.objects.get_for_model(student), object_id=str(student.pk),
        object_repr=str(student), action_flag=CHANGE, change_message="Changed role.",
    )  # fmt: skip
    return student, [done, talked, costly, open_session]
