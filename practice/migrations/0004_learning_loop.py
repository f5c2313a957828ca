# The learning loop: pronunciation notes, a level per language on LearnerProgress, the deck (cards scheduled
# by FSRS, their audio and review log), the cards a spoken review drills, and placements.

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0003_learnerprogress_and_end_reasons"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Card",
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
                (
                    "kind",
                    models.CharField(
                        choices=[("correction", "Correction"), ("word", "Word"), ("pronunciation", "Pronunciation")],
                        max_length=16,
                    ),
                ),
                ("key", models.CharField(max_length=300)),
                ("front", models.TextField()),
                ("back", models.TextField()),
                ("note", models.TextField(blank=True)),
                ("estimate", models.BooleanField(default=False)),
                ("occurrences", models.PositiveIntegerField(default=1)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "state",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "Learning"), (2, "Review"), (3, "Relearning")], default=1
                    ),
                ),
                ("step", models.PositiveSmallIntegerField(blank=True, default=0, null=True)),
                ("stability", models.FloatField(blank=True, null=True)),
                ("difficulty", models.FloatField(blank=True, null=True)),
                ("due", models.DateTimeField()),
                ("last_review", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "db_table": "tutor_card",
                "ordering": ["due", "id"],
            },
        ),
        migrations.AddField(
            model_name="learnerprogress",
            name="level",
            field=models.CharField(
                blank=True,
                choices=[("A1", "A1"), ("A2", "A2"), ("B1", "B1"), ("B2", "B2"), ("C1", "C1"), ("C2", "C2")],
                max_length=2,
            ),
        ),
        migrations.AddField(
            model_name="learnerprogress",
            name="level_set_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="learnerprogress",
            name="level_set_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="learnerprogress",
            name="level_source",
            field=models.CharField(
                blank=True,
                choices=[
                    ("placement", "Placement"),
                    ("teacher", "Set by a teacher"),
                    ("student", "Accepted by the student"),
                ],
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="tutorsession",
            name="deck_updated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="CardAudio",
            fields=[
                (
                    "card",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="audio",
                        serialize=False,
                        to="practice.card",
                    ),
                ),
                ("text", models.TextField()),
                ("mp3", models.BinaryField()),
            ],
            options={"db_table": "tutor_cardaudio"},
        ),
        migrations.AddField(
            model_name="card",
            name="source_session",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="cards_made",
                to="practice.tutorsession",
            ),
        ),
        migrations.AddField(
            model_name="card",
            name="student",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="cards", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.CreateModel(
            name="CardReview",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "rating",
                    models.PositiveSmallIntegerField(choices=[(1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy")]),
                ),
                ("reviewed_at", models.DateTimeField()),
                ("duration_ms", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "mode",
                    models.CharField(
                        choices=[("page", "On the review page"), ("voice", "By voice with the tutor")],
                        default="page",
                        max_length=8,
                    ),
                ),
                (
                    "state_before",
                    models.PositiveSmallIntegerField(choices=[(1, "Learning"), (2, "Review"), (3, "Relearning")]),
                ),
                (
                    "state_after",
                    models.PositiveSmallIntegerField(choices=[(1, "Learning"), (2, "Review"), (3, "Relearning")]),
                ),
                ("stability_after", models.FloatField()),
                ("difficulty_after", models.FloatField()),
                ("due_after", models.DateTimeField()),
                (
                    "card",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="reviews", to="practice.card"
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="practice.tutorsession",
                    ),
                ),
            ],
            options={
                "db_table": "tutor_cardreview",
                "ordering": ["reviewed_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="DrillCard",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveSmallIntegerField()),
                (
                    "card",
                    models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="practice.card"),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="drill_cards", to="practice.tutorsession"
                    ),
                ),
            ],
            options={
                "db_table": "tutor_drillcard",
                "ordering": ["session", "position"],
            },
        ),
        migrations.CreateModel(
            name="PlacementResult",
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
                (
                    "level",
                    models.CharField(
                        choices=[("A1", "A1"), ("A2", "A2"), ("B1", "B1"), ("B2", "B2"), ("C1", "C1"), ("C2", "C2")],
                        max_length=2,
                    ),
                ),
                ("bands", models.JSONField(default=dict)),
                ("taken_at", models.DateTimeField(auto_now_add=True)),
                (
                    "student",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="placements",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "db_table": "tutor_placementresult",
                "ordering": ["-taken_at"],
            },
        ),
        migrations.CreateModel(
            name="PronunciationNote",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("turn_index", models.PositiveIntegerField(blank=True, null=True)),
                ("word", models.CharField(max_length=120)),
                ("heard_as", models.CharField(blank=True, max_length=200)),
                ("tip", models.TextField(blank=True)),
                ("estimate", models.BooleanField(default=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pronunciation_notes",
                        to="practice.tutorsession",
                    ),
                ),
            ],
            options={
                "db_table": "tutor_pronunciationnote",
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.AddIndex(
            model_name="card",
            index=models.Index(fields=["student", "due"], name="card_student_due_idx"),
        ),
        migrations.AddIndex(
            model_name="card",
            index=models.Index(fields=["student", "language"], name="card_student_language_idx"),
        ),
        migrations.AddConstraint(
            model_name="card",
            constraint=models.UniqueConstraint(fields=("student", "kind", "key"), name="card_unique_key"),
        ),
        migrations.AddIndex(
            model_name="cardreview",
            index=models.Index(fields=["card", "reviewed_at"], name="review_card_time_idx"),
        ),
        migrations.AddConstraint(
            model_name="drillcard",
            constraint=models.UniqueConstraint(fields=("session", "position"), name="drill_card_unique_position"),
        ),
        migrations.AddIndex(
            model_name="pronunciationnote",
            index=models.Index(fields=["session", "turn_index"], name="pronunciation_session_idx"),
        ),
    ]
