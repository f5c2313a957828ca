"""The lesson form's script in Chromium: the voice picker, adding rows, the live instruction preview."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.e2e.conftest import CHROMIUM_ARGS, chromium_executable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def page(live_server, client, teacher):
    playwright = pytest.importorskip("playwright.sync_api")
    executable = chromium_executable()
    if executable is None:
        pytest.skip("No Chromium found: install Debian's chromium package or set CHROMIUM_PATH.")
    client.force_login(teacher)
    cookie = client.cookies["sessionid"]
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        yield context.new_page()
        browser.close()


def test_the_voice_picker_offers_only_the_chosen_providers_voices_and_the_preview_follows(page, live_server):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(live_server.url + reverse("teach:lesson_create"))
    voices = lambda: page.eval_on_selector_all("#id_voice option", "options => options.map(o => o.value)")  # noqa: E731
    assert voices() == [""]  # the site default: its default voice only
    page.select_option("#id_provider", "openai")
    assert voices()[:3] == ["", "alloy", "ash"] and "Puck" not in voices()
    page.select_option("#id_voice", "marin")
    page.select_option("#id_provider", "gemini")
    assert page.input_value("#id_voice") == "" and "Puck" in voices()

    page.fill("#id_persona_name", "Amélie")
    page.fill("#id_scenario", "A market in Nice.")
    page.locator("#preview").get_by_text("You are Amélie", exact=False).wait_for()
    assert "Role-play this scenario: A market in Nice." in page.inner_text("#preview")
    page.screenshot(path=ARTIFACTS / "lesson-form-preview.png", full_page=True)

    page.click("[data-add-row=vocabulary]")  # the script adds it in place: no reload
    assert page.input_value("#id_vocabulary-TOTAL_FORMS") == "6"
    assert page.evaluate("document.activeElement.id") == "id_vocabulary-5-term"
    assert page.input_value("#id_persona_name") == "Amélie"


def test_a_lesson_written_in_the_browser_is_saved_with_its_rows(page, live_server):
    page.goto(live_server.url + reverse("teach:lesson_create"))
    page.fill("#id_title", "Au marché")
    page.fill("#id_language", "fr-FR")
    page.select_option("#id_level", "A2")
    page.fill("#id_scenario", "Buy fruit at a market.")
    page.fill("#id_persona_name", "Amélie")
    page.select_option("#id_provider", "offline")
    page.select_option("#id_voice", "m3")
    page.fill("#id_vocabulary-0-term", "une pomme")
    page.fill("#id_vocabulary-1-term", "une poire")
    page.fill("#id_dialogue-0-tutor", "Bonjour ! Vous désirez ?")
    page.fill("#id_dialogue-0-expected", "Une pomme, s'il vous plaît")
    page.press("#id_title", "Enter")  # Enter saves the lesson, it does not add a row
    page.wait_for_url(re.compile(r"/teach/lessons/\d+/$"))
    page.screenshot(path=ARTIFACTS / "lesson-saved.png", full_page=True)
    # The ORM cannot run inside Playwright's event loop: the saved lesson is checked on its page.
    terms = page.eval_on_selector_all(
        "#vocabulary-heading + .table-wrap tbody td:first-child", "t => t.map(e => e.textContent)"
    )
    assert terms == ["une pomme", "une poire"]
    assert "by Marie" in page.inner_text("main") and "m3" in page.inner_text(".facts")


@pytest.fixture
def page_without_scripts(live_server, client, teacher):
    playwright = pytest.importorskip("playwright.sync_api")
    executable = chromium_executable()
    if executable is None:
        pytest.skip("No Chromium found: install Debian's chromium package or set CHROMIUM_PATH.")
    client.force_login(teacher)
    cookie = client.cookies["sessionid"]
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        yield context.new_page()
        browser.close()


def test_without_scripts_a_lesson_gets_more_rows_and_is_saved(page_without_scripts, live_server):
    page = page_without_scripts
    page.goto(live_server.url + reverse("teach:lesson_create"))
    assert page.locator("[data-rows=vocabulary] fieldset").count() == 5
    assert page.locator("[data-rows=dialogue] fieldset").count() == 3
    assert page.locator("[data-rows] label span[aria-hidden=true]").count() == 0  # no asterisk on a blank row
    page.fill("#id_title", "Au marché")
    page.fill("#id_persona_name", "Amélie")
    page.fill("#id_vocabulary-0-term", "une pomme")
    page.click("[data-add-row=dialogue]")  # a round trip: one more step, nothing lost, nothing saved
    assert page.locator("[data-rows=dialogue] fieldset").count() == 4
    assert page.input_value("#id_title") == "Au marché" and page.input_value("#id_vocabulary-0-term") == "une pomme"
    assert page.evaluate("document.activeElement.id") == "id_dialogue-3-tutor"
    assert page.locator(".form-errors").count() == 0
    page.fill("#id_language", "fr-FR")
    page.select_option("#id_level", "A2")
    page.fill("#id_scenario", "Buy fruit at a market.")
    page.fill("#id_dialogue-3-tutor", "Bonjour ! Vous désirez ?")
    page.fill("#id_dialogue-3-expected", "Une pomme, s'il vous plaît")
    page.screenshot(path=ARTIFACTS / "lesson-form-without-scripts.png", full_page=True)
    page.click(".form-actions button[type=submit]")
    page.wait_for_url(re.compile(r"/teach/lessons/\d+/$"))
    assert "Bonjour ! Vous désirez ?" in page.inner_text("main") and "une pomme" in page.inner_text("main")
