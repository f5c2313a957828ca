"""manage.py import_lessons FILE: add the lessons of a YAML or JSON lesson file, all of them or none."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from lessons.files import LessonFileError
from lessons.lifecycle import retiring_notice
from lessons.services.lessons import lesson_file_import


class Command(BaseCommand):
    help = "Import a lesson file (YAML or JSON, see docs/lessons.md). A bad file imports nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the lesson file; - reads standard input")
        parser.add_argument("--author", help="username of the teacher who will own the lessons")
        parser.add_argument("--publish", action="store_true", help="publish every lesson of the file")

    def handle(self, *args, **options) -> None:
        author = _author(options["author"])
        text = _read(options["file"])
        try:
            lessons = lesson_file_import(text=text, author=author, publish=options["publish"])
        except LessonFileError as exc:
            problems = "\n".join(f"  {problem}" for problem in exc.problems)
            raise CommandError(f"{options['file']}: nothing was imported.\n{problems}") from exc
        for lesson in lessons:
            state = "published" if lesson.published else "draft"
            self.stdout.write(f"  {lesson.pk}: {lesson.title} ({lesson.language}, {lesson.level}, {state})")
            if notice := retiring_notice(lesson.model):
                self.stdout.write(self.style.WARNING(f"    {notice}"))
        self.stdout.write(self.style.SUCCESS(f"Imported {len(lessons)} lesson(s)."))


def _author(username: str | None) -> User | None:
    if not username:
        return None
    author = User.objects.filter(username=username).first()
    if author is None:
        raise CommandError(f"No user is called {username}.")
    if not (author.is_teacher or author.is_operator):
        raise CommandError(f"{username} is not a teacher: only teachers and staff own lessons.")
    return author


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"Cannot read {name}: {exc.strerror}.") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"{name} is not UTF-8 text.") from exc
