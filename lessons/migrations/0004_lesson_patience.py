# A lesson's patience (how long the tutor waits for a pausing learner; blank: by its level) and the
# objective each offline dialogue step achieves.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0003_learnerprogress_moves_to_practice"),
    ]

    operations = [
        migrations.AddField(
            model_name="lesson",
            name="patience",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "By the lesson's level"),
                    ("patient", "Patient: long pauses to find a word (A1)"),
                    ("relaxed", "Relaxed (A2)"),
                    ("balanced", "Balanced (B1-B2)"),
                    ("brisk", "Brisk: a conversation at speed (C1-C2)"),
                ],
                default="",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="dialoguestep",
            name="objective",
            field=models.CharField(
                blank=True,
                help_text="The lesson objective this step achieves when answered without the hint.",
                max_length=300,
            ),
        ),
    ]
