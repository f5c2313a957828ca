"""manage.py seed_demo: load the demo teacher, students, class and lessons (safe to run again)."""

from django.core.management.base import BaseCommand

from lessons.demo import DEMO_PASSWORD, DEMO_STUDENTS, DEMO_TEACHER, demo_seed


class Command(BaseCommand):
    help = "Create the demo teacher, three students, a class and five lessons; leaves existing ones alone."

    def handle(self, *args, **options) -> None:
        result = demo_seed()
        self.stdout.write(
            f"Demo data: {result.users_created} users and {result.lessons_created} lessons created; "
            f"class '{result.classroom.name}' has join code {result.classroom.join_code}."
        )
        logins = ", ".join(name for name, *_ in (DEMO_TEACHER, *DEMO_STUDENTS))
        self.stdout.write(f"Logins: {logins} (password {DEMO_PASSWORD})")
