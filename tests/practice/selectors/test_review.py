"""The review's usage table: one row per purpose, however many provider responses a session had, and an
unknown price shown as unknown, never as $0."""

from decimal import Decimal

from django.urls import reverse

from practice.selectors.review import session_review, sessions_for_review
from practice.services.recording import usage_record
from tutor.events import TokenUsage


def _record(session, count: int, *, model: str, purpose: str, provider: str = "openai", **tokens) -> None:
    for _n in range(count):
        usage_record(
            session_id=session.pk, provider=provider, model=model, purpose=purpose, tokens=TokenUsage(**tokens)
        )


def test_eighty_usage_records_make_at_most_four_rows_one_per_purpose_in_order(reviewed):
    reviewed.usage.all().delete()
    _record(reviewed, 60, model="gpt-realtime", purpose="live", text_in=100, audio_in=900, audio_out=400)
    _record(reviewed, 4, model="gpt-realtime-mini", purpose="live", text_in=10)
    _record(reviewed, 12, model="gpt-4o-mini-transcribe", purpose="transcription", audio_in=300, text_out=20)
    _record(reviewed, 3, model="gpt-4.1-mini", purpose="summary", text_in=2000, text_out=200)
    _record(reviewed, 1, model="gpt-4.1-mini", purpose="report", text_in=3000, text_out=500)
    assert reviewed.usage.count() == 80
    review = session_review(session_id=reviewed.pk)
    assert [group.purpose for group in review.usage] == ["live", "transcription", "summary", "report"]
    live, transcription, summary, report = review.usage
    assert live.records == 64 and live.models == ("gpt-realtime", "gpt-realtime-mini")
    assert live.tokens["audio_in_tokens"] == 60 * 900 and live.tokens["text_in_tokens"] == 60 * 100 + 4 * 10
    assert transcription.models == ("gpt-4o-mini-transcribe",) and transcription.tokens["audio_in_tokens"] == 3600
    # 12 times (300 audio at $3 + 20 text out at $5 per million): the transcription model is priced.
    assert transcription.cost.usd == Decimal("0.012000") and not transcription.cost.unpriced
    assert summary.cost.usd > 0 and report.cost.usd > 0
    stored = sum(row.cost_usd for row in reviewed.usage.all())
    assert review.totals.cost.usd == stored and not review.totals.cost.unpriced
    assert review.totals.tokens["total_tokens"] == sum(row.total_tokens for row in reviewed.usage.all())


def test_the_page_shows_one_row_per_purpose_with_the_transcription_named(client, teacher, reviewed):
    _record(reviewed, 30, model="gpt-realtime", purpose="live", audio_in=100)
    _record(reviewed, 5, model="gpt-4o-transcribe", purpose="transcription", audio_in=100)
    client.force_login(teacher)
    body = client.get(reverse("teach:session_review", args=[reviewed.pk])).content.decode()
    table = body.split('id="usage-heading"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 2 + 1  # the header, live and transcription, the total
    assert "Transcription of the student&#x27;s speech <span" in table and "gpt-4o-transcribe" in table


def test_an_unpriced_model_is_unknown_and_marks_the_total_never_zero(client, teacher, reviewed):
    usage_record(
        session_id=reviewed.pk, provider="openai", model="a-model-nobody-priced", purpose="summary",
        tokens=TokenUsage(text_in=500),
    )  # fmt: skip
    assert reviewed.usage.get(model="a-model-nobody-priced").cost_usd is None
    review = session_review(session_id=reviewed.pk)
    summary = next(group for group in review.usage if group.purpose == "summary")
    assert summary.cost.unpriced and summary.cost.usd == 0
    assert review.totals.cost.unpriced and review.totals.cost.usd > 0
    client.force_login(teacher)
    body = client.get(reverse("teach:session_review", args=[reviewed.pk])).content.decode()
    table = body.split('id="usage-heading"')[1].split("</table>")[0]
    summary_row = next(row for row in table.split("<tr>") if "Summary of older turns" in row)
    assert "unknown" in summary_row and "$0.00" not in summary_row
    assert "≥ $0.03, some usage unpriced" in table.split("<tfoot>")[1]
    listed = client.get(reverse("teach:session_list")).content.decode()
    assert "some usage unpriced" in listed
    assert sessions_for_review(user=teacher).get(pk=reviewed.pk).unpriced_usage == 1


def test_a_session_whose_only_usage_is_unpriced_costs_unknown(client, teacher, reviewed):
    reviewed.usage.all().delete()
    _record(reviewed, 2, model="a-model-nobody-priced", purpose="live", text_in=10)
    client.force_login(teacher)
    [row] = client.get(reverse("teach:session_list")).context["page"].object_list
    listed = client.get(reverse("teach:session_list")).content.decode()
    assert row.unpriced_usage == 2 and "unknown" in listed and "$0.00" not in listed
