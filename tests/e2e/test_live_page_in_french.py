"""The live page in French, on a phone-sized screen, for a student whose computer has no microphone:
the page says so, the student types with the keyboard, sees a correction, is told why the offline tutor is shown
no picture, and reaches the report."""

import re

import pytest

from lessons.demo import DEMO_PASSWORD, demo_seed
from tests.servers import daphne

from .audio import quiet, write_wav
from .conftest import log_in, orm, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LESSON = "Commander dans un café à Lyon"  # the demo lesson's title in French
PHONE = {"width": 390, "height": 844}

# Every control on the page has a name a screen reader can read: its text, a label or an ARIA name.
UNNAMED_CONTROLS = """() => [...document.querySelectorAll('main button, main input, main select, main meter')]
  .filter((el) => el.type !== 'hidden' && !el.hidden && el.offsetParent !== null)
  .filter((el) => !(el.textContent.trim() || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
                    || (el.id && document.querySelector(`label[for="${el.id}"]`))))
  .map((el) => el.outerHTML)"""


def no_microphone(page) -> None:
    """No microphone on this computer; the camera (Chromium's fake one) is there."""
    page.add_init_script("""{
      const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = (constraints) => constraints.audio
        ? Promise.reject(new DOMException('Requested device not found', 'NotFoundError'))
        : open(constraints);
    }""")


def test_a_french_speaking_student_without_a_microphone_types_on_a_phone(chromium, artifacts, shots):
    orm(demo_seed)
    with daphne(artifacts / "daphne.log") as server:
        browser = chromium(write_wav(artifacts / "silence.wav", quiet(1000)))
        context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True)
        page = context.new_page()
        errors = watch(page)
        no_microphone(page)

        log_in(page, server.url, "chloe", DEMO_PASSWORD)
        page.get_by_text("Leçons à faire").wait_for()
        shots.take(page, "dashboard-fr-phone")
        page.get_by_role("button", name=f"Commencer {LESSON}").first.click()
        page.wait_for_url(re.compile(r"/sessions/\d+/live/$"))
        assert page.evaluate(UNNAMED_CONTROLS) == []

        page.focus("#start")
        page.keyboard.press("Enter")
        page.locator("#alert", has_text="Aucun micro n'a été trouvé").wait_for()
        page.locator("#connection-state", has_text="En direct").wait_for()
        page.locator(".live-transcript .turn.tutor", has_text="Bienvenue au café").wait_for()
        assert page.evaluate(UNNAMED_CONTROLS) == []
        # On a phone the header keeps to two rows and the typing field is on the screen, in reach.
        assert page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height") < 100
        assert page.evaluate("document.querySelector('#typed-text').getBoundingClientRect().bottom") <= PHONE["height"]

        page.focus("#typed-text")
        page.keyboard.type("Je voudrait un café, s'il vous plaît")
        page.keyboard.press("Enter")
        correction = page.locator(".live-transcript .turn.student .correction")
        correction.wait_for()
        assert "Grammaire" in correction.inner_text() and "Je voudrais un café" in correction.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
        shots.take(page, "live-fr-phone-correction")

        # The offline tutor cannot see: no picture is offered, and the page says why, in French.
        page.locator("#sharing-unavailable", has_text="ne peut pas voir").wait_for()
        assert page.is_disabled("#picture-upload") and page.is_disabled("#camera")
        shots.take(page, "live-fr-phone-no-pictures")

        page.focus("#end")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/sessions/\d+/$"))
        page.locator("#report h2", has_text="Bilan").wait_for()
        shots.take(page, "session-page-fr-phone")

        page.goto(f"{server.url}/progress/")
        page.get_by_role("heading", name="Pratique par semaine").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shots.take(page, "progress-fr-phone")
        assert errors == []
