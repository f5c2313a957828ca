import datetime as dt

from django.urls import reverse
from django.utils import timezone

from lessons.services.classrooms import assignment_create
from lessons.services.lessons import lesson_create
from practice.selectors.dashboards import teacher_dashboard
from practice.services.sessions import session_create, session_mark_live
from tests.conftest import lesson_spec


def test_the_dashboard_shows_live_sessions_and_what_is_due_soon(classroom, student, teacher, lesson):
    live = session_create(student=student, lesson=lesson)
    session_mark_live(session_id=live.pk)
    soon = lesson_create(spec=lesson_spec(title="Soon"), author=teacher)
    later = lesson_create(spec=lesson_spec(title="Later"), author=teacher)
    now = timezone.now()
    assignment_create(classroom=classroom, lesson=soon, due_at=now + dt.timedelta(days=3))
    assignment_create(classroom=classroom, lesson=later, due_at=now + dt.timedelta(days=30))
    dashboard = teacher_dashboard(teacher=teacher, now=now)
    assert dashboard.live_now == [live]
    assert [a.lesson.title for a in dashboard.upcoming] == ["Soon"]
    assert (dashboard.published_count, dashboard.draft_count) == (3, 0)


def test_the_teachers_home_links_to_watch_a_live_session(client, classroom, student, teacher, lesson):
    live = session_create(student=student, lesson=lesson)
    session_mark_live(session_id=live.pk)
    client.force_login(teacher)
    body = client.get(reverse("home")).content.decode()
    assert reverse("teach:session_watch", args=[live.pk]) in body and classroom.join_code in body


def test_a_teachers_own_try_it_session_is_not_a_student_session(classroom, teacher, lesson):
    mine = session_create(student=teacher, lesson=lesson)
    session_mark_live(session_id=mine.pk)
    assert teacher_dashboard(teacher=teacher).live_now == []
