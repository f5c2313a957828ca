# What the student reads before a session, beside the tutor's brief (the scenario).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0005_lesson_purpose"),
    ]

    operations = [
        migrations.AddField(
            model_name="lesson",
            name="student_scenario",
            field=models.TextField(blank=True),
        ),
    ]
