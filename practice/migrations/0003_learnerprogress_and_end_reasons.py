# LearnerProgress comes over from the lessons app with its table (lessons_learnerprogress) unchanged: only
# Django's idea of which app owns it moves, and its content type follows. The end reason "completed",
# never written, leaves the choices.

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor) -> None:
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="practice", model="learnerprogress").exists():
        content_types.objects.filter(app_label="lessons", model="learnerprogress").update(app_label="practice")


def move_content_type_back(apps, schema_editor) -> None:
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="lessons", model="learnerprogress").exists():
        content_types.objects.filter(app_label="practice", model="learnerprogress").update(app_label="lessons")


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0002_summary_requested_through"),
        ("lessons", "0003_learnerprogress_moves_to_practice"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="tutorsession",
            name="end_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("student", "Ended by the student"),
                    ("time_limit", "Time limit reached"),
                    ("idle", "No activity"),
                    ("disconnected", "Browser disconnected"),
                    ("provider_error", "Tutor service failed"),
                ],
                max_length=24,
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LearnerProgress",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "language",
                            models.CharField(
                                max_length=16,
                                validators=[
                                    django.core.validators.RegexValidator(
                                        "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                                        "Use a BCP-47 language code such as fr, es-MX or ja-JP.",
                                    )
                                ],
                            ),
                        ),
                        ("seconds_practised", models.PositiveIntegerField(default=0)),
                        ("sessions_count", models.PositiveIntegerField(default=0)),
                        ("words_learned", models.PositiveIntegerField(default=0)),
                        ("corrections_count", models.PositiveIntegerField(default=0)),
                        ("streak_days", models.PositiveIntegerField(default=0)),
                        ("last_practised_on", models.DateField(blank=True, null=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "student",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="progress",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "lessons_learnerprogress",
                        "constraints": [
                            models.UniqueConstraint(fields=("student", "language"), name="progress_unique_language")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
