# A lesson's text in other languages for its readers, and the language its own text is written in
# (lessons/texts.py); existing lessons were written in the site's language, English.

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0007_classroom_monthly_budget"),
    ]

    operations = [
        migrations.AddField(
            model_name="lesson",
            name="text_language",
            field=models.CharField(
                default="en",
                max_length=16,
                validators=[
                    django.core.validators.RegexValidator(
                        "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "Use a BCP-47 language code such as fr, es-MX or ja-JP."
                    )
                ],
            ),
        ),
        migrations.AddField(
            model_name="lesson",
            name="translations",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="vocabularyitem",
            name="translations",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
