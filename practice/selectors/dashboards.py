"""The teacher's home page: what needs attention now (live sessions, sessions to review, due dates),
their classes and their lessons. A selector: reads only."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from lessons.models import Assignment, Classroom, Lesson
from lessons.selectors.classrooms import classrooms_managed_by
from lessons.selectors.lessons import lessons_editable_by

from ..models import TutorSession
from . import review as review_selectors

UPCOMING_DAYS = 14


@dataclass(frozen=True)
class TeacherDashboard:
    classrooms: list[Classroom]
    recent_lessons: list[Lesson]
    published_count: int
    draft_count: int
    live_now: list[TutorSession]
    needing_review: list[TutorSession]
    upcoming: list[Assignment]


def teacher_dashboard(*, teacher: User, now: dt.datetime | None = None) -> TeacherDashboard:
    now = now or timezone.now()
    classrooms = list(classrooms_managed_by(user=teacher).order_by("name"))
    own = lessons_editable_by(user=teacher).filter(author=teacher)
    counts = own.aggregate(
        published_count=Count("pk", filter=Q(published=True)), draft_count=Count("pk", filter=Q(published=False))
    )
    return TeacherDashboard(
        classrooms=classrooms,
        recent_lessons=list(own.order_by("-updated_at")[:6]),
        published_count=counts["published_count"],
        draft_count=counts["draft_count"],
        live_now=list(review_selectors.sessions_live_now(user=teacher)[:10]),
        needing_review=review_selectors.sessions_needing_review(user=teacher, limit=8),
        upcoming=list(
            Assignment.objects.filter(
                classroom__in=classrooms, due_at__gte=now, due_at__lte=now + dt.timedelta(days=UPCOMING_DAYS)
            )
            .select_related("lesson", "classroom")
            .order_by("due_at")
        ),
    )
