"""manage.py tutor_models asks each service with a key for its models (through the real SDK and client, against the
fakes) and fails, in plain words, when a configured model or a lesson's model is not offered."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lessons.models import Lesson
from lessons.services.lessons import lesson_create
from tests.conftest import configure_tutor, lesson_spec
from tests.fakes.gemini_rest import FakeGeminiRest, FakeRestOptions
from tests.fakes.openai_chat import FakeChatCompletions
from tests.fakes.tls import make_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def services(settings, tmp_path):
    """Both services' fakes, and this site set up with their keys and addresses."""
    certificate = make_certificate(tmp_path)
    options = FakeRestOptions(live_models=frozenset({"gemini-3.8-live"}))
    with FakeGeminiRest(certificate, options) as gemini, FakeChatCompletions() as openai:
        configure_tutor(
            settings,
            gemini={"api_key": "test-key", "base_url": gemini.url, "ssl_context": certificate.client_context()},
            openai={"api_key": "sk-test", "base_url": openai.base_url},
        )
        yield gemini, openai


def run(**options) -> str:
    out = StringIO()
    call_command("tutor_models", stdout=out, **options)
    return out.getvalue()


def test_the_default_models_are_offered_by_both_services(services):
    output = run()
    assert "gemini: PASS: 2 of 2 offered" in output and "openai: PASS: 3 of 3 offered" in output
    assert "GEMINI_TEXT_MODEL: gemini-3.5-flash-lite: offered" in output


def test_a_shut_down_model_in_the_settings_fails_and_says_what_to_use_instead(services, settings):
    configure_tutor(settings, gemini={"text_model": "gemini-2.5-flash"})
    out = StringIO()
    with pytest.raises(CommandError, match="Gemini: a model this site is set to call is not offered"):
        call_command("tutor_models", stdout=out)
    assert (
        "GEMINI_TEXT_MODEL names gemini-2.5-flash, which Gemini does not offer to this key (it lists 5 models, not "
        "this one). Use gemini-3.5-flash-lite, its replacement." in out.getvalue()
    )
    assert "openai: PASS" in out.getvalue()  # the other service is still checked


def test_a_lessons_model_the_service_no_longer_offers_fails_naming_the_lesson(services, teacher):
    _gemini, openai = services
    openai.shut_down = frozenset({"gpt-realtime-1.5"})
    lesson = lesson_create(spec=lesson_spec(title="Au café"), author=teacher)
    Lesson.objects.filter(pk=lesson.pk).update(provider="openai", model="gpt-realtime-1.5")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("tutor_models", "--provider", "openai", stdout=out)
    assert "the lesson “Au café” names gpt-realtime-1.5, which OpenAI does not offer to this key" in out.getvalue()


def test_a_model_the_service_lists_with_a_near_shutdown_is_a_warning_not_a_failure(services, settings):
    configure_tutor(settings, openai={"text_model": "gpt-4.1-mini"})
    output = run(provider="openai")
    assert "openai: PASS" in output
    assert "OPENAI_TEXT_MODEL: gpt-4.1-mini: offered. OpenAI shuts gpt-4.1-mini down on 2027-01-14." in output


def test_a_refused_key_fails_in_plain_words(services, settings):
    configure_tutor(settings, gemini={"api_key": "wrong"})
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("tutor_models", "--provider", "gemini", stdout=out)
    assert "gemini: FAIL: Gemini refused to list its models (400 INVALID_ARGUMENT: API key not valid" in out.getvalue()


def test_a_service_without_a_key_is_skipped(settings):
    configure_tutor(settings, gemini={"api_key": ""}, openai={"api_key": ""})
    assert run() == "gemini: skipped: no GEMINI_API_KEY\nopenai: skipped: no OPENAI_API_KEY\n"
