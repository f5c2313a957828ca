"""A report says when it was written without the text model the provider has, and why (docs/context.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0009_usage_audio_seconds"),
    ]

    operations = [
        migrations.AddField(
            model_name="sessionreport",
            name="fallback",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "none"),
                    ("unusable", "the text model's answer could not be used"),
                    ("unavailable", "the text model stayed unavailable"),
                    ("refused", "the text model refused the request"),
                ],
                max_length=12,
            ),
        ),
    ]
