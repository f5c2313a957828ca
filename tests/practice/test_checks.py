"""manage.py check warns of each configured model without a price, and of a model that shuts down within 60 days
(settings or a lesson's), and errors, naming the replacement, on one already shut down; of none on the defaults."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from lessons.models import Lesson
from lessons.services.lessons import lesson_create
from practice.checks import RETIRING, SHUT_DOWN, UNPRICED, models_current, prices_known
from tests.conftest import configure_tutor, lesson_spec
from tutor.providers.catalog import CATALOG, READ_ON, Catalog, ModelFacts

DEFAULT = ["default"]


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


@pytest.mark.django_db
def test_manage_py_check_reports_it(settings, capsys):
    configure_tutor(settings, openai={"text_model": "gpt-unpriced"})
    call_command("check", tags=["providers"])
    assert "practice.W001" in capsys.readouterr().err


def test_no_default_model_is_retired_or_retiring_within_sixty_days_of_the_day_the_facts_were_read():
    assert models_current(today=READ_ON) == []


def test_a_shut_down_model_in_the_settings_is_an_error_naming_its_replacement(settings):
    configure_tutor(settings, gemini={"text_model": "gemini-2.5-flash"})
    [error] = models_current(today=READ_ON)
    assert error.id == SHUT_DOWN and error.is_serious()
    assert "'gemini-2.5-flash' (GEMINI_TEXT_MODEL) was shut down on 2026-06-17" in error.msg
    assert "gemini-3.5-flash-lite, its replacement," in error.hint


def test_a_model_shutting_down_within_sixty_days_is_a_warning_with_the_days_left(settings):
    configure_tutor(settings, openai={"realtime_model": "gpt-realtime", "text_model": "gpt-4.1-mini"})
    warnings = models_current(today=dt.date(2026, 12, 7))
    assert [(w.id, w.is_serious()) for w in warnings] == [(RETIRING, False), (RETIRING, False)]
    assert "'gpt-realtime' (OPENAI_REALTIME_MODEL) shuts down on 2027-01-20, in 44 days" in warnings[0].msg
    assert "gpt-realtime-2.1, its replacement," in warnings[0].hint
    assert "gpt-6-luna, its replacement," in warnings[1].hint
    # Sixty-one days before, nothing yet; on the day itself, an error.
    configure_tutor(settings, openai={"realtime_model": "gpt-realtime", "text_model": "gpt-6-luna"})
    assert models_current(today=dt.date(2026, 11, 20)) == []
    assert [m.id for m in models_current(today=dt.date(2027, 1, 20))] == [SHUT_DOWN]


@pytest.mark.django_db
def test_a_lesson_that_names_a_shut_down_model_is_an_error_naming_the_lesson_and_the_replacement(teacher):
    # Saved before the shutdown (the model's own validation refuses it now, so the row is written directly).
    Lesson.objects.filter(pk=_lesson(teacher).pk).update(provider="openai", model="gpt-realtime")
    [error] = models_current(databases=DEFAULT, today=dt.date(2027, 2, 1))
    assert error.id == SHUT_DOWN and "lessons: Café in Lyon" in error.msg and "gpt-realtime-2.1" in error.hint
    [warning] = models_current(databases=DEFAULT, today=dt.date(2026, 12, 7))
    assert warning.id == RETIRING and "lessons: Café in Lyon" in warning.msg


@pytest.mark.django_db
def test_manage_py_check_fails_on_a_shut_down_model_and_names_its_replacement(settings):
    configure_tutor(settings, gemini={"text_model": "gemini-2.5-flash"})
    with pytest.raises(SystemCheckError, match=r"(?s)practice\.E001.*gemini-2\.5-flash.*gemini-3\.5-flash-lite"):
        call_command("check", tags=["providers"])


def _lesson(teacher) -> Lesson:
    return lesson_create(spec=lesson_spec(), author=teacher)
