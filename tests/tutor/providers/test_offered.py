"""The models a service lists against those the site is set to call: what is missing, said in plain words."""

import datetime as dt

from tutor.providers.offered import Offered, Wanted, compare

GEMINI = {
    "gemini-3.8-live": Offered("gemini-3.8-live", frozenset({"bidiGenerateContent"})),
    "gemini-3.5-flash-lite": Offered("gemini-3.5-flash-lite", frozenset({"generateContent"})),
}
TODAY = dt.date(2026, 12, 7)


def test_a_model_offered_for_its_use_is_fine():
    wanted = [Wanted("gemini-3.8-live", "live", "GEMINI_LIVE_MODEL"), Wanted("gemini-3.5-flash-lite", "text", "X")]
    assert all(finding.ok and not finding.warning for finding in compare("gemini", wanted, GEMINI, today=TODAY))


def test_a_model_not_listed_fails_naming_the_setting_and_the_catalogs_replacement():
    [finding] = compare("gemini", [Wanted("gemini-2.5-flash", "text", "GEMINI_TEXT_MODEL")], GEMINI, today=TODAY)
    assert finding.problem == (
        "GEMINI_TEXT_MODEL names gemini-2.5-flash, which Gemini does not offer to this key (it lists 2 models, not "
        "this one). Use gemini-3.5-flash-lite, its replacement."
    )


def test_a_gemini_model_listed_without_the_method_its_use_needs_fails():
    [finding] = compare("gemini", [Wanted("gemini-3.5-flash-lite", "live", "a lesson")], GEMINI, today=TODAY)
    assert (
        finding.problem == "a lesson names gemini-3.5-flash-lite, which Gemini offers but not for bidiGenerateContent."
    )


def test_a_shutdown_the_service_announces_within_sixty_days_is_a_warning():
    offered = {"gpt-realtime": Offered("gpt-realtime", shutdown=dt.date(2027, 1, 20))}
    [finding] = compare("openai", [Wanted("gpt-realtime", "live", "OPENAI_REALTIME_MODEL")], offered, today=TODAY)
    assert finding.ok and finding.warning == (
        "OpenAI shuts gpt-realtime down on 2027-01-20. Use gpt-realtime-2.1, its replacement."
    )
    far = compare("openai", [Wanted("gpt-realtime", "live", "X")], offered, today=dt.date(2026, 10, 1))
    assert far[0].warning == ""
