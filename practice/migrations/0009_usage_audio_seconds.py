"""A usage row records the seconds of audio of a model billed by the minute (OpenAI's transcribers), priced per
minute (docs/costs.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0008_erased_spend"),
    ]

    operations = [
        migrations.AddField(
            model_name="usagerecord",
            name="audio_seconds",
            field=models.FloatField(default=0),
        ),
    ]
