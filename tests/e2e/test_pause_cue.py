"""The live page's "take your time" cue (static/js/live/pause.js) in Chromium, driven by microphone levels."""

import pytest

from .audio import quiet, write_wav
from .conftest import watch
from .test_audio_worklets import static_site  # noqa: F401 (the fixture serving static/)

pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium, static_site, artifacts):  # noqa: F811
    browser = chromium(write_wav(artifacts / "silence.wav", quiet(500)))
    page = browser.new_page()
    errors = watch(page)
    page.goto(f"{static_site}/css/app.css")
    yield page
    assert errors == []


def test_the_cue_shows_while_the_student_pauses_mid_answer_and_goes_when_the_turn_is_over(page):
    shown = page.evaluate("""async () => {
      const { PauseCue } = await import("/js/live/pause.js");
      document.body.innerHTML = '<div id="live-session"><span id="cue" hidden>Take your time</span></div>';
      const element = document.getElementById("cue");
      const cue = new PauseCue({ element, turnSilenceMs: 1500 });
      const seen = {};
      let now = 0;
      const frames = (rms, ms) => { for (let t = 0; t < ms; t += 40) { now += 40; cue.level(rms, now); } };
      frames(0.1, 400); seen.speaking = !element.hidden;
      frames(0.001, 200); seen.shortPause = !element.hidden;
      frames(0.001, 400); seen.longPause = !element.hidden;
      frames(0.1, 80); seen.speakingAgain = !element.hidden;
      frames(0.001, 600); seen.pausingAgain = !element.hidden;
      frames(0.001, 1000); seen.turnOver = !element.hidden;
      frames(0.001, 600); seen.silenceAfter = !element.hidden;
      frames(0.1, 400); frames(0.001, 600); cue.reset(); seen.tutorAnswered = !element.hidden;
      return seen;
    }""")
    assert shown == {
        "speaking": False,
        "shortPause": False,
        "longPause": True,
        "speakingAgain": False,
        "pausingAgain": True,
        "turnOver": False,
        "silenceAfter": False,
        "tutorAnswered": False,
    }


def test_a_brisk_lesson_whose_turn_ends_sooner_shows_no_cue(page):
    shown = page.evaluate("""async () => {
      const { PauseCue } = await import("/js/live/pause.js");
      document.body.innerHTML = '<div id="live-session"><span id="cue" hidden></span></div>';
      const element = document.getElementById("cue");
      const cue = new PauseCue({ element, turnSilenceMs: 400 });
      let now = 0, ever = false;
      for (let t = 0; t < 2000; t += 40) { now += 40; cue.level(t < 600 ? 0.1 : 0.001, now); ever ||= !element.hidden; }
      return ever;
    }""")
    assert shown is False


def test_once_the_server_says_what_it_hears_the_cue_follows_it_and_not_the_microphone(page):
    shown = page.evaluate("""async () => {
      const { PauseCue } = await import("/js/live/pause.js");
      document.body.innerHTML = '<div id="live-session"><span id="cue" hidden></span></div>';
      const element = document.getElementById("cue");
      const cue = new PauseCue({ element, turnSilenceMs: 1500 });
      const seen = {};
      cue.listening("thinking"); seen.thinking = !element.hidden;
      let now = 0;
      for (let t = 0; t < 600; t += 40) { now += 40; cue.level(0.1, now); }
      seen.loudFramesChangeNothing = !element.hidden;
      cue.listening("speaking"); seen.speaking = !element.hidden;
      for (let t = 0; t < 1000; t += 40) { now += 40; cue.level(t < 400 ? 0.1 : 0.001, now); }
      seen.aPauseTheServerDidNotCall = !element.hidden;
      cue.listening("thinking"); cue.listening("done"); seen.done = !element.hidden;
      return seen;
    }""")
    assert shown == {
        "thinking": True,
        "loudFramesChangeNothing": True,
        "speaking": False,
        "aPauseTheServerDidNotCall": False,
        "done": False,
    }
