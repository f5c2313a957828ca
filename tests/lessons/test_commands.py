"""manage.py import_lessons and export_lessons, run as an operator would run them."""

import json

import pytest
from django.core.management import ManagementUtility, call_command
from django.db import connections

from lessons.files import parse_lesson_file
from lessons.models import Lesson, VocabularyItem

from .services.test_lessons import FILE

GOOD = FILE.split("  - title: Empty")[0]


@pytest.fixture(autouse=True)
def keep_the_test_database_open(monkeypatch):
    """manage.py closes every connection when a command finishes; the test still needs its own."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(*argv: str, capsys) -> tuple[int, str, str]:
    """The command as `manage.py` runs it: the exit status and what it printed."""
    try:
        ManagementUtility(["manage.py", *argv]).execute()
        status = 0
    except SystemExit as exc:
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


def test_import_adds_the_lessons_for_the_author_and_can_publish_them(tmp_path, teacher, capsys):
    path = tmp_path / "lessons.yaml"
    path.write_text(GOOD, encoding="utf-8")
    status, out, _err = run("import_lessons", str(path), "--author", teacher.username, "--publish", capsys=capsys)
    assert status == 0 and "Imported 1 lesson(s)." in out
    lesson = Lesson.objects.get()
    assert (lesson.title, lesson.author, lesson.published) == ("Good", teacher, True)


def test_a_bad_file_exits_non_zero_names_field_and_line_and_imports_nothing(tmp_path, teacher, capsys):
    path = tmp_path / "lessons.yaml"
    path.write_text(FILE.replace("level: A2", "level: Z9"), encoding="utf-8")
    status, _out, err = run("import_lessons", str(path), capsys=capsys)
    assert status == 1
    assert "nothing was imported" in err and "lessons[1].level, line 12" in err
    assert not Lesson.objects.exists() and not VocabularyItem.objects.exists()


def test_a_rule_broken_by_the_second_lesson_rolls_back_the_first(tmp_path, db, capsys):
    path = tmp_path / "lessons.yaml"
    path.write_text(FILE, encoding="utf-8")
    status, _out, err = run("import_lessons", str(path), capsys=capsys)
    assert status == 1 and "lessons[1].published, line 15" in err
    assert not Lesson.objects.exists()


def test_import_refuses_an_unknown_author_or_a_student(tmp_path, student, capsys):
    path = tmp_path / "lessons.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert run("import_lessons", str(path), "--author", "nobody", capsys=capsys)[0] == 1
    status, _out, err = run("import_lessons", str(path), "--author", student.username, capsys=capsys)
    assert status == 1 and "not a teacher" in err
    assert not Lesson.objects.exists()


def test_import_reports_a_missing_file(tmp_path, db, capsys):
    status, _out, err = run("import_lessons", str(tmp_path / "nope.yaml"), capsys=capsys)
    assert status == 1 and "Cannot read" in err


def test_export_writes_a_file_that_imports_back_to_the_same_lessons(tmp_path, lesson):
    output = tmp_path / "out.json"
    call_command("export_lessons", format="json", output=str(output))
    data = json.loads(output.read_text(encoding="utf-8"))
    assert [item["title"] for item in data["lessons"]] == ["Café in Lyon"]
    Lesson.objects.all().delete()
    call_command("import_lessons", str(output))
    assert Lesson.objects.get().vocabulary.count() == 2


def test_export_to_standard_output_filters_by_author(teacher, other_teacher, lesson, capsys):
    call_command("export_lessons", author=teacher.username)
    [spec] = parse_lesson_file(capsys.readouterr().out)
    assert spec.title == "Café in Lyon"
    status, _out, err = run("export_lessons", "--author", other_teacher.username, capsys=capsys)
    assert status == 1 and "No lesson to export" in err


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_speaks_both_formats(lesson, capsys, fmt):
    call_command("export_lessons", format=fmt)
    text = capsys.readouterr().out
    assert text.lstrip().startswith("{") == (fmt == "json")
    assert parse_lesson_file(text)[0].persona_name == "Camille"
