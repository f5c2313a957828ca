# LearnerProgress moved to the practice app (label "tutor"), which writes and reads it. The table stays
# where it is: this app only forgets the model; tutor.0003 takes it over with the same table.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0002_lesson_model"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="LearnerProgress")],
            database_operations=[],
        ),
    ]
