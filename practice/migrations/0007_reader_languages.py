"""What each reader reads in: the language a session's student read the site in, a report's and a summary's
language, a report's words in other readers' languages, and a word card's cue in every language its lesson gives."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0006_usage_costs"),
    ]

    operations = [
        migrations.AddField(
            model_name="card",
            name="cues",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="contextsummary",
            name="language",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name="sessionreport",
            name="language",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name="tutorsession",
            name="reader_language",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.CreateModel(
            name="ReportVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("language", models.CharField(max_length=16)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting to be written"),
                            ("running", "Being written"),
                            ("ready", "Ready"),
                            ("failed", "Failed"),
                        ],
                        default="pending",
                        max_length=8,
                    ),
                ),
                ("summary", models.TextField(blank=True)),
                ("strengths", models.JSONField(blank=True, default=list)),
                ("weak_points", models.JSONField(blank=True, default=list)),
                ("error", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="versions", to="practice.sessionreport"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("report", "language"), name="report_version_unique_language")
                ],
            },
        ),
    ]
