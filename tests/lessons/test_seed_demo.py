from django.core.management import call_command

from accounts.models import User
from lessons.demo import DEMO_PASSWORD
from lessons.models import Classroom, Lesson


def test_seed_demo_creates_the_demo_world_once(db, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.filter(role="teacher").count() == 1
    assert User.objects.filter(role="student").count() == 3
    lessons = Lesson.objects.filter(published=True)
    assert lessons.count() >= 5
    assert len({lesson.language.split("-")[0] for lesson in lessons}) >= 4
    for lesson in lessons:
        assert lesson.vocabulary.count() >= 4 and lesson.steps.count() >= 3 and lesson.objectives
    room = Classroom.objects.get()
    assert room.enrollments.count() == 3 and room.assignments.count() == 3
    assert User.objects.get(username="ana").check_password(DEMO_PASSWORD)
    assert "0 users and 0 lessons created" in capsys.readouterr().out
