"""A session holds its expected cost against the monthly budgets from its start until it ends (docs/costs.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0010_report_fallback"),
    ]

    operations = [
        migrations.AddField(
            model_name="tutorsession",
            name="reserved_usd",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True),
        ),
    ]
