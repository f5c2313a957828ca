"""A usage row's cost may be unknown (NULL) rather than 0; rows recorded at $0 because their model had no price
yet (the text models of summaries and reports) are priced again from their tokens; a session remembers that a
spent budget put it on the offline tutor."""

from django.conf import settings
from django.db import migrations, models

from tutor.events import TokenUsage
from tutor.providers.pricing import cost_usd


def reprice_free_rows(apps, schema_editor):
    """Rows of a networked model stored at 0: their price is what the catalog says now, or unknown."""
    usage = apps.get_model("practice", "UsageRecord")
    for row in usage.objects.filter(cost_usd=0, total_tokens__gt=0).exclude(provider="offline").iterator():
        tokens = TokenUsage(
            text_in=row.text_in_tokens, audio_in=row.audio_in_tokens, image_in=row.image_in_tokens,
            cached_in=row.cached_in_tokens, text_out=row.text_out_tokens, audio_out=row.audio_out_tokens,
        )  # fmt: skip
        row.cost_usd = cost_usd(settings.TUTOR.price(row.model), tokens)
        row.save(update_fields=["cost_usd"])


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0005_turn_provider"),
    ]

    operations = [
        migrations.AlterField(
            model_name="usagerecord",
            name="cost_usd",
            field=models.DecimalField(blank=True, decimal_places=6, max_digits=12, null=True),
        ),
        migrations.AddIndex(
            model_name="usagerecord",
            index=models.Index(fields=["created_at"], name="usage_created_idx"),
        ),
        migrations.AddField(
            model_name="tutorsession",
            name="offline_for_budget",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(reprice_free_rows, migrations.RunPython.noop),
    ]
