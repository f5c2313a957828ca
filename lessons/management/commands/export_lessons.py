"""manage.py export_lessons: write lessons as a lesson file that import_lessons reads back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lessons.files import dump_lesson_file
from lessons.models import Lesson
from lessons.selectors.lessons import lesson_specs


class Command(BaseCommand):
    help = "Export lessons (all, or one author's) as YAML or JSON, to standard output or a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--author", help="only the lessons of this username")
        parser.add_argument("--format", choices=("yaml", "json"), default="yaml")
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, **options) -> None:
        lessons = Lesson.objects.all()
        if options["author"]:
            lessons = lessons.filter(author__username=options["author"])
        specs = lesson_specs(lessons=lessons)
        if not specs:
            raise CommandError("No lesson to export.")
        text = dump_lesson_file(specs, fmt=options["format"])
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {len(specs)} lesson(s) to {options['output']}.")
        else:
            self.stdout.write(text, ending="")
