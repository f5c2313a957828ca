"""The demo data of `make run`: one teacher, three students, one class and the lessons in lessons.yaml."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from accounts.models import Role, User
from accounts.services import user_create

from ..files import parse_lesson_file
from ..models import Classroom, Lesson
from ..services.classrooms import assignment_create, classroom_create, classroom_join
from ..services.lessons import lessons_import

DEMO_PASSWORD = "speak-freely-2026"
DEMO_TEACHER = ("teacher", "Marie", "fr")
DEMO_STUDENTS = (("ana", "Ana", "es"), ("ben", "Ben", "en"), ("chloe", "Chloé", "fr"))
DEMO_CLASS = "Evening conversation group"
LESSONS_FILE = Path(__file__).with_name("lessons.yaml")


@dataclass(frozen=True)
class DemoSeedResult:
    users_created: int
    lessons_created: int
    classroom: Classroom


@transaction.atomic
def demo_seed() -> DemoSeedResult:
    """Idempotent: what already exists is left alone, so `make run` may call it every time."""
    teacher, teacher_created = _user(*DEMO_TEACHER, role=Role.TEACHER)
    students, created = [], int(teacher_created)
    for username, name, language in DEMO_STUDENTS:
        student, was_created = _user(username, name, language, role=Role.STUDENT)
        students.append(student)
        created += was_created

    specs = parse_lesson_file(LESSONS_FILE.read_text(encoding="utf-8"))
    existing = set(Lesson.objects.filter(author=teacher).values_list("title", flat=True))
    new_lessons = lessons_import(specs=[s for s in specs if s.title not in existing], author=teacher)

    classroom = Classroom.objects.filter(teacher=teacher, name=DEMO_CLASS).first()
    if classroom is None:
        classroom = classroom_create(teacher=teacher, name=DEMO_CLASS)
        for student in students:
            classroom_join(student=student, join_code=classroom.join_code)
        for lesson in Lesson.objects.filter(author=teacher, published=True).order_by("level")[:3]:
            assignment_create(classroom=classroom, lesson=lesson, due_at=None)
    return DemoSeedResult(users_created=created, lessons_created=len(new_lessons), classroom=classroom)


def _user(username: str, first_name: str, language: str, *, role: str) -> tuple[User, bool]:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    return (
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            email=f"{username}@example.org",
            role=role,
            first_name=first_name,
            native_language=language,
        ),
        True,
    )
