from lessons.selectors.lessons import (
    catalog_languages,
    lesson_catalog,
    lessons_visible_to,
    student_may_use_lesson,
)
from lessons.services.lessons import lesson_create
from tests.conftest import lesson_spec


def test_drafts_are_visible_only_to_their_author_and_staff(teacher, other_teacher, student, staff):
    draft = lesson_create(spec=lesson_spec(title="Draft", published=False), author=teacher)
    assert draft in lessons_visible_to(user=teacher)
    assert draft in lessons_visible_to(user=staff)
    assert draft not in lessons_visible_to(user=other_teacher)
    assert draft not in lessons_visible_to(user=student)
    assert not student_may_use_lesson(student=student, lesson=draft)


def test_catalog_filters_by_base_language_and_level(teacher, student):
    lesson_create(spec=lesson_spec(title="FR", language="fr-FR", level="A1"), author=teacher)
    lesson_create(spec=lesson_spec(title="ES", language="es", level="A2"), author=teacher)
    assert [lesson.title for lesson in lesson_catalog(user=student, language="fr")] == ["FR"]
    assert [lesson.title for lesson in lesson_catalog(user=student, level="A2")] == ["ES"]
    assert catalog_languages(user=student) == ["es", "fr"]
