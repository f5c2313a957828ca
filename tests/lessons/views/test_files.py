"""Importing and exporting lesson files from the teacher's pages."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lessons.files import parse_lesson_file
from lessons.models import Lesson
from lessons.services.lessons import lesson_create
from tests.conftest import lesson_spec

from ..services.test_lessons import FILE

GOOD = FILE.split("  - title: Empty")[0]


def upload(text: str, name: str = "lessons.yaml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/yaml")


def test_an_uploaded_file_is_imported_for_the_teacher(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("teach:lesson_import"), {"file": upload(GOOD)}, follow=True)
    lesson = Lesson.objects.get()
    assert (lesson.title, lesson.author, lesson.published) == ("Good", teacher, False)
    assert "Imported 1 lesson." in response.content.decode()


def test_pasted_text_can_be_imported_and_published(client, teacher):
    client.force_login(teacher)
    client.post(reverse("teach:lesson_import"), {"text": GOOD, "publish": "on"})
    assert Lesson.objects.get().published


def test_a_bad_file_shows_field_line_and_the_lines_around_and_imports_nothing(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("teach:lesson_import"), {"file": upload(FILE.replace("level: A2", "level: Z9"))})
    body = response.content.decode()
    assert response.status_code == 200 and not Lesson.objects.exists()
    assert "Nothing was imported: the file has 1 problem." in body
    assert "<code>lessons[1].level</code>" in body and "line 12" in body
    [(problem, lines)] = response.context["problems"]
    assert problem.line == 12 and lines[2] == (12, "    level: Z9", True)


def test_a_file_with_several_problems_shows_each_with_its_own_lines(client, teacher):
    client.force_login(teacher)
    bad = FILE.replace("level: A2", "level: Z9").replace("language: fr-FR", "language: french", 1)
    response = client.post(reverse("teach:lesson_import"), {"text": bad})
    body = response.content.decode()
    assert "the file has 2 problems" in body and body.count('class="excerpt"') == 2
    assert [problem.field for problem, _lines in response.context["problems"]] == [
        "lessons[0].language", "lessons[1].level"]  # fmt: skip


def test_a_rule_broken_in_the_second_lesson_rolls_back_the_first(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("teach:lesson_import"), {"file": upload(FILE)})
    assert "<code>lessons[1].published</code>" in response.content.decode()
    assert not Lesson.objects.exists()


def test_a_file_that_is_not_utf8_or_missing_is_refused_clearly(client, teacher):
    client.force_login(teacher)
    latin = SimpleUploadedFile("l.yaml", "título: café".encode("latin-1"))
    assert "not UTF-8" in client.post(reverse("teach:lesson_import"), {"file": latin}).content.decode()
    assert "Choose a file, or paste one." in client.post(reverse("teach:lesson_import"), {}).content.decode()


def test_export_one_lesson_as_json_names_the_file_after_it(client, teacher, lesson):
    client.force_login(teacher)
    response = client.get(reverse("teach:lesson_export"), {"lesson": lesson.pk, "format": "json"})
    assert response["Content-Disposition"] == 'attachment; filename="cafe-in-lyon.json"'
    assert json.loads(response.content)["lessons"][0]["title"] == "Café in Lyon"


def test_export_a_selection_includes_visible_colleagues_lessons(client, teacher, other_teacher, lesson):
    theirs = lesson_create(spec=lesson_spec(title="Theirs"), author=other_teacher)
    client.force_login(teacher)
    response = client.get(reverse("teach:lesson_export"), {"lesson": [lesson.pk, theirs.pk]})
    assert response["Content-Type"].startswith("application/yaml")
    assert [s.title for s in parse_lesson_file(response.content.decode())] == ["Café in Lyon", "Theirs"]


def test_export_with_nothing_ticked_gives_all_of_the_teachers_own(client, teacher, other_teacher, lesson):
    lesson_create(spec=lesson_spec(title="Theirs"), author=other_teacher)
    lesson_create(spec=lesson_spec(title="My draft", published=False), author=teacher)
    client.force_login(teacher)
    response = client.get(reverse("teach:lesson_export"))
    assert [s.title for s in parse_lesson_file(response.content.decode())] == ["Café in Lyon", "My draft"]


def test_export_refuses_a_colleagues_draft(client, teacher, other_teacher):
    draft = lesson_create(spec=lesson_spec(title="Secret", published=False), author=other_teacher)
    client.force_login(teacher)
    response = client.get(reverse("teach:lesson_export"), {"lesson": draft.pk})
    assert response.status_code == 302 and "Secret" not in response.content.decode()


def test_export_then_import_from_the_pages_round_trips(client, teacher, lesson):
    client.force_login(teacher)
    exported = client.get(reverse("teach:lesson_export"), {"lesson": lesson.pk}).content.decode()
    client.post(reverse("teach:lesson_import"), {"text": exported})
    copy = Lesson.objects.exclude(pk=lesson.pk).get()
    assert [v.term for v in copy.vocabulary.all()] == ["un café", "l'addition"] and copy.published


AGING = GOOD.replace("persona: {name: Camille}", "persona: {name: Camille}\n    provider: openai\n    model: MODEL")


def test_a_file_naming_a_shut_down_model_is_refused_at_its_line_with_the_replacement(client, teacher, aging_models):
    client.force_login(teacher)
    response = client.post(reverse("teach:lesson_import"), {"text": AGING.replace("MODEL", "gpt-realtime-old")})
    assert not Lesson.objects.exists()
    [(problem, _lines)] = response.context["problems"]
    assert problem.field == "lessons[0].model" and problem.line == 9  # "model: gpt-realtime-old"
    assert "gpt-realtime-old was shut down on" in problem.message and "Choose gpt-realtime-2.1" in problem.message


def test_a_file_naming_a_model_shutting_down_soon_is_imported_with_a_warning(client, teacher, aging_models):
    client.force_login(teacher)
    text = AGING.replace("MODEL", "gpt-realtime-soon")
    response = client.post(reverse("teach:lesson_import"), {"text": text}, follow=True)
    assert Lesson.objects.get().model == "gpt-realtime-soon"
    body = response.content.decode()
    assert "Imported 1 lesson." in body and "Good: gpt-realtime-soon shuts down on" in body
