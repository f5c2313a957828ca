# What the student reads before a session, beside the tutor's brief (the scenario). Numbered 0005 and
# depending on 0003 so it merges beside a colleague's 0004; the lead renumbers at merge.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0003_learnerprogress_moves_to_practice"),
    ]

    operations = [
        migrations.AddField(
            model_name="lesson",
            name="student_scenario",
            field=models.TextField(blank=True),
        ),
    ]
