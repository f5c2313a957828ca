# A lesson says what it is for: an authored lesson, or the spoken review of a deck (never listed).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0004_lesson_patience"),
    ]

    operations = [
        migrations.AddField(
            model_name="lesson",
            name="purpose",
            field=models.CharField(
                choices=[("lesson", "Lesson"), ("review", "Spoken review")], default="lesson", max_length=8
            ),
        ),
    ]
