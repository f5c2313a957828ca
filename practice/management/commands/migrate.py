"""`manage.py migrate`, with one step first: a database made while the practice app was labelled "tutor" has its
migration history and content types moved to the label "practice" (its tables keep their names), so Django
finds its migrations applied and its permissions where they were."""

from django.core.management.commands.migrate import Command as Migrate
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

OLD_LABEL, LABEL = "tutor", "practice"


def relabel(connection: BaseDatabaseWrapper) -> None:
    """Idempotent: nothing happens once no row says "tutor", or in a database that never had the old label."""
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, column in (("django_migrations", "app"), ("django_content_type", "app_label")):
            if table not in tables:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = %s", [LABEL])
            if cursor.fetchone()[0]:
                continue
            cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {column} = %s", [LABEL, OLD_LABEL])


class Command(Migrate):
    def handle(self, *args, **options) -> None:
        relabel(connections[options["database"]])
        super().handle(*args, **options)
