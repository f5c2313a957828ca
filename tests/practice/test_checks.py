"""manage.py check warns of each configured model without a price, and of none when every one has one."""

from django.core.management import call_command

from practice.checks import UNPRICED, prices_known
from tests.conftest import configure_tutor
from tutor.providers.catalog import CATALOG, Catalog, ModelFacts


def test_every_model_this_site_calls_by_default_has_a_price():
    assert prices_known() == []


def test_a_configured_model_without_a_price_is_a_warning_naming_it_and_its_setting(settings):
    configure_tutor(settings, gemini={"text_model": "gemini-9-unpriced"}, openai={"transcription_model": "whisper-x"})
    warnings = prices_known()
    assert [w.id for w in warnings] == [UNPRICED, UNPRICED]
    assert "'gemini-9-unpriced' (GEMINI_TEXT_MODEL)" in warnings[0].msg
    assert "'whisper-x' (OPENAI_TRANSCRIPTION_MODEL)" in warnings[1].msg and "TUTOR_PRICES_JSON" in warnings[1].hint


def test_a_lesson_selectable_model_added_without_a_price_is_warned_of(settings):
    unpriced = ModelFacts("gpt-realtime-9", "openai", "live", 32_000)
    configure_tutor(settings, catalog=Catalog(models=(*CATALOG.models, unpriced)))
    assert ["gpt-realtime-9" in w.msg and "a lesson's model for openai" in w.msg for w in prices_known()] == [True]


def test_manage_py_check_reports_it(settings, capsys):
    configure_tutor(settings, openai={"text_model": "gpt-unpriced"})
    call_command("check", tags=["providers"])
    assert "practice.W001" in capsys.readouterr().err
