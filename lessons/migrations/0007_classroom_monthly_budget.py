# A class's monthly budget for the tutor services (practice/budgets.py).

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lessons", "0006_lesson_student_scenario"),
    ]

    operations = [
        migrations.AddField(
            model_name="classroom",
            name="monthly_budget_usd",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=10,
                null=True,
                validators=[django.core.validators.MinValueValidator(0)],
            ),
        ),
    ]
