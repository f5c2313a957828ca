import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from practice.models import ContextSummary, TutorSession, UsageRecord
from practice.selectors.live import summarized_through
from practice.services import summaries, writing
from practice.services.summaries import summary_write_task
from practice.services.writing import UNUSABLE_RETRIES
from practice.writers import SUMMARY_SCHEMA
from tests.conftest import configure_tutor
from tests.fakes.text_model import ScriptedTextModel
from tutor.providers import factory as provider_factory
from tutor.providers.text import TextModelError
from tutor.session.control import control_group

from ..factories import recorded_session


@pytest.fixture
def session(student, lesson):
    return recorded_session(student, lesson, exchanges=12)  # 24 turns


@pytest.fixture
def budget(settings):
    configure_tutor(settings, summaries={"every_turns": 10, "min_turns": 4, "recent_turns": 6, "trigger_share": 0.5})
    return settings


@pytest.fixture
def model(monkeypatch):
    """Make the session's provider one with a text model (gemini) and script that model."""
    scripted = ScriptedTextModel(['{"summary": "Ana ordered a coffee (said \'je voudrait\'), then a croissant."}'])
    monkeypatch.setattr(writing, "text_model", lambda config, provider: scripted)
    return scripted


def test_no_summary_while_the_context_is_small_and_young(session, budget, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        summaries.context_usage_record(session_id=session.pk, tokens=500, through_turn=12)
    assert TutorSession.objects.get(pk=session.pk).context_tokens == 500
    assert not ContextSummary.objects.exists()


def test_enough_turns_queue_one_summary_that_keeps_the_recent_turns_verbatim(
    session, budget, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        summaries.context_usage_record(session_id=session.pk, tokens=500, through_turn=23)
    [summary] = ContextSummary.objects.all()
    assert summary.through_turn == 23 - 6 and "Turnos 0 a 17" in summary.text  # in Ana's language, Spanish
    with django_capture_on_commit_callbacks(execute=True) as dispatched:
        summaries.context_usage_record(session_id=session.pk, tokens=500, through_turn=23)
    assert not dispatched  # no second summary; the live runner reads the newest one's reach
    assert summarized_through(session_id=session.pk) == 17


def test_a_context_near_the_window_triggers_a_summary_sooner(session, budget, django_capture_on_commit_callbacks):
    window = 16_000  # the offline model: its 32k window capped by the 16k budget
    with django_capture_on_commit_callbacks(execute=True):
        summaries.context_usage_record(session_id=session.pk, tokens=window // 2 + 1, through_turn=11)
    assert ContextSummary.objects.get().through_turn == 5


def test_summaries_cover_only_their_own_turns_and_are_never_summarized_again(session, budget, model):
    first = summaries.summary_write(session_id=session.pk, through_turn=9)
    second = summaries.summary_write(session_id=session.pk, through_turn=19)
    assert (first.through_turn, second.through_turn) == (9, 19)
    _system, prompt = model.prompts[-1]
    assert "Turns 10 to 19" in prompt and first.text not in prompt


def test_summarizing_is_idempotent(session, model):
    one = summaries.summary_write(session_id=session.pk, through_turn=9)
    again = summary_write_task.delay(session.pk, 9).get()
    assert again == one.pk and ContextSummary.objects.count() == 1 and len(model.prompts) == 1


def test_a_model_summary_records_its_usage_and_cost(session, model):
    summary = summaries.summary_write(session_id=session.pk, through_turn=9)
    assert summary.text.startswith("Ana ordered a coffee")
    assert model.schemas == [SUMMARY_SCHEMA]  # asked through the service's structured output
    usage = UsageRecord.objects.get()
    assert usage.purpose == "summary" and usage.total_tokens > 0


def test_an_unusable_answer_leaves_its_usage_row_then_one_retry_then_the_extractive_summary(
    session, model, eager_retries
):
    model.answers[:] = ["Sure! Ana ordered a coffee."]  # billed, but not the JSON asked for
    summary_id = summary_write_task.delay(session.pk, 9).get()
    assert ContextSummary.objects.get(pk=summary_id).text.startswith("Turnos 0 a 9")
    rows = UsageRecord.objects.filter(purpose="summary")
    assert len(model.prompts) == rows.count() == 1 + UNUSABLE_RETRIES  # every billed call, once


def test_a_summary_written_twice_by_a_duplicate_delivery_records_both_billed_calls(session, model):
    """The row is one (UNIQUE), but the service billed two calls: both are usage rows."""
    summaries.summary_write(session_id=session.pk, through_turn=9)
    ContextSummary.objects.all().delete()  # as if the second delivery began before the first one's row existed
    summaries.summary_write(session_id=session.pk, through_turn=9)
    assert UsageRecord.objects.filter(purpose="summary").count() == len(model.prompts) == 2


@pytest.fixture
def eager_retries(monkeypatch):
    """Eager Celery replays retries in place, as a worker would, only when it does not propagate."""
    monkeypatch.setitem(summary_write_task.app.conf, "task_eager_propagates", False)


def test_a_busy_model_is_retried_by_celery_then_succeeds(session, model, eager_retries):
    model.answers[:0] = [TextModelError("overloaded", retryable=True)] * 2
    summary_id = summary_write_task.delay(session.pk, 9).get()
    assert ContextSummary.objects.get(pk=summary_id).text.startswith("Ana ordered")
    assert len(model.prompts) == 3


def test_a_model_that_stays_down_gives_an_extractive_summary_at_the_last_attempt(session, model, eager_retries):
    model.answers[:] = [TextModelError("overloaded", retryable=True)]
    summary_id = summary_write_task.delay(session.pk, 9).get()
    assert ContextSummary.objects.get(pk=summary_id).text.startswith("Turnos 0 a 9")
    assert len(model.prompts) == summary_write_task.max_retries + 1


def test_a_refused_request_falls_back_at_once(session, model):
    model.answers[:] = [TextModelError("API key not valid", retryable=False)]
    assert summaries.summary_write(session_id=session.pk, through_turn=9).text.startswith("Turnos 0 a 9")
    assert len(model.prompts) == 1


def test_the_extractive_summary_keeps_corrections_and_words(session):
    text = summaries.summary_write(session_id=session.pk, through_turn=9).text
    assert "«Je voudrait» → «Je voudrais» (gramática)" in text
    assert "Palabras de la lección usadas: un café, l'addition" in text
    assert len(text) <= 700


def test_the_live_session_is_told_through_the_channel_layer(session, django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(control_group(session.pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        summaries.summary_write(session_id=session.pk, through_turn=9)
    message = async_to_sync(layer.receive)(channel)
    assert message == {"type": "live.summary", "through": 9}


def test_the_next_connection_gets_every_summary_and_the_turns_after_them(session, budget):
    from practice.selectors.live import session_context

    summaries.summary_write(session_id=session.pk, through_turn=9)
    summaries.summary_write(session_id=session.pk, through_turn=15)
    context = session_context(session_id=session.pk, recent_turns=6)
    assert context.summary.count("Turnos ") == 2 and context.summary_through_turn == 15
    assert len(context.recent) == 6 and context.recent[0].text == "Presque ! On dit : je voudrais un café. Et avec ça ?"


def test_the_offline_provider_has_no_text_model(settings):
    assert provider_factory.text_model(settings.TUTOR, "offline") is None
