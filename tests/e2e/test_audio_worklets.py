"""The page's audio worklets in Chromium, alone: how much of each tutor turn was heard when playback is
cut, the jitter buffer, and capture at a device rate other than 16 kHz (the worklet resamples)."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.servers import ROOT

from .audio import quiet, write_wav
from .conftest import watch

pytestmark = pytest.mark.browser

# A tone of `ms` milliseconds as the server sends tutor speech: PCM16 at 24 kHz, in an ArrayBuffer.
HELPERS = """
window.tone = (ms, rate = 24000) => {
  const pcm = new Int16Array(Math.round(rate * ms / 1000));
  for (let i = 0; i < pcm.length; i++) pcm[i] = 8000 * Math.sin(2 * Math.PI * 220 * i / rate);
  return pcm.buffer;
};
window.sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        """Requests are not news."""


@pytest.fixture
def static_site():
    handler = functools.partial(QuietHandler, directory=str(ROOT / "static"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(chromium, static_site, artifacts):
    browser = chromium(write_wav(artifacts / "silence.wav", quiet(500)))
    page = browser.new_page()
    errors = watch(page)
    page.goto(f"{static_site}/css/app.css")  # any page of this origin: a secure context for audio
    page.evaluate(HELPERS)
    yield page
    assert errors == []


def test_a_cut_reports_what_was_heard_of_the_right_turn_in_either_order(page):
    result = page.evaluate("""async () => {
      const { Speaker } = await import("/js/live/speaker.js");
      const cuts = [];
      const speaker = new Speaker({
        workletUrl: "/js/live/worklets/playback.js",
        onSpeaking: () => {},
        onPlaybackCut: (turn, playedMs) => cuts.push({ turn, playedMs }),
      });
      await speaker.start();
      const played = () => window.__tutorAudio.playedSamples;
      // The offline tutor's order: the turn's transcript, then its audio.
      speaker.tutorTranscript(3, false);
      speaker.push(tone(1000));
      await sleep(500);
      const firstSeen = played();
      speaker.interrupt();
      await sleep(150);
      const firstDone = played();
      // Gemini's order: audio first; the turn number only comes with the turn_complete after the cut.
      speaker.push(tone(1000));
      await sleep(400);
      const secondSeen = played() - firstDone;
      speaker.interrupt();
      await sleep(100);
      speaker.turnComplete(5);
      await sleep(50);
      return { cuts, firstSeen, secondSeen, tap: { ...window.__tutorAudio } };
    }""")
    # The tap lags the audio thread by up to 8 render quanta (43 ms), a cut adds its 8 ms fade, and a busy
    # machine may run the page's timers late: what the cut reports lies between what was seen played just
    # before it and what could have played by the time it took effect, never the whole second.
    first, second = result["cuts"]
    first_seen_ms, second_seen_ms = result["firstSeen"] / 24, result["secondSeen"] / 24
    assert first["turn"] == 3 and 100 < first_seen_ms <= first["playedMs"] <= first_seen_ms + 400, result
    assert second["turn"] == 5 and 100 < second_seen_ms <= second["playedMs"] <= second_seen_ms + 400, result
    assert first["playedMs"] < 1000 and second["playedMs"] < 1000  # cut, not played out
    tap = result["tap"]
    assert tap["flushes"] == 2 and tap["lastFlushLatencyMs"] < 500, tap  # at once, however busy the machine
    assert 0.2 < tap["peak"] < 0.3  # the tone's amplitude, 8000 / 32768


def test_the_jitter_buffer_waits_for_enough_audio_but_plays_a_short_tail(page):
    result = page.evaluate("""async () => {
      const { Speaker } = await import("/js/live/speaker.js");
      const speaker = new Speaker({ workletUrl: "/js/live/worklets/playback.js", onSpeaking: () => {},
                                    onPlaybackCut: () => {} });
      await speaker.start();
      speaker.push(tone(40));  // half of what playback waits for
      await sleep(40);
      const waiting = window.__tutorAudio.playedSamples;
      await sleep(300);  // nothing more came: the tail is played anyway
      return { waiting, played: window.__tutorAudio.playedSamples };
    }""")
    assert result["waiting"] == 0
    assert result["played"] == 960  # 40 ms at 24 kHz, every sample


def test_played_waits_until_everything_queued_was_heard_and_no_longer_than_its_bound(page):
    """What the live page waits on after `ended`, so the tutor's closing line is heard to its end (issue 24)."""
    result = page.evaluate("""async () => {
      const { Speaker } = await import("/js/live/speaker.js");
      const speaker = new Speaker({ workletUrl: "/js/live/worklets/playback.js", onSpeaking: () => {},
                                    onPlaybackCut: () => {} });
      await speaker.start();
      speaker.push(tone(600));
      await speaker.played(20000);
      const heard = window.__tutorAudio.playedSamples;
      await speaker.context.suspend();  // an audio context that plays nothing: the bound ends the wait
      speaker.push(tone(600));
      const started = performance.now();
      await speaker.played(300);
      return { heard, waited: performance.now() - started };
    }""")
    assert result["heard"] == 14_400  # 600 ms at 24 kHz: every sample played before the wait ended
    assert result["waited"] >= 290


def test_capture_at_48_khz_comes_out_as_16_khz_frames_of_40_ms(page):
    result = page.evaluate("""async () => {
      const context = new AudioContext({ sampleRate: 48000 });
      await context.audioWorklet.addModule("/js/live/worklets/capture.js");
      const node = new AudioWorkletNode(context, "capture-processor", { numberOfOutputs: 0,
                                        processorOptions: { frameMs: 40 } });
      const frames = [];
      node.port.onmessage = (event) => frames.push(event.data);
      const oscillator = new OscillatorNode(context, { frequency: 440 });
      const gain = new GainNode(context, { gain: 0.5 });
      oscillator.connect(gain).connect(node);
      oscillator.start();
      await context.resume();
      await sleep(1000);
      await context.close();
      return { count: frames.length, bytes: frames[0].pcm.byteLength, rms: frames[5].rms };
    }""")
    assert result["bytes"] == 1280  # 640 samples of 16 bits: 40 ms at 16 kHz
    assert 18 <= result["count"] <= 27
    assert 0.33 < result["rms"] < 0.37  # a sine of amplitude 0.5 keeps its loudness through the filter


def test_a_sound_that_may_be_an_interruption_lowers_the_tutor_s_volume_and_an_ignored_one_restores_it(page):
    result = page.evaluate("""async () => {
      const { Speaker } = await import("/js/live/speaker.js");
      const speaker = new Speaker({ workletUrl: "/js/live/worklets/playback.js", onSpeaking: () => {},
                                    onPlaybackCut: () => {} });
      await speaker.start();
      speaker.push(tone(2000));
      const until = async (test) => { for (let i = 0; i < 400 && !test(); i++) await sleep(10); return test(); };
      const gain = () => speaker.gain.gain.value;
      const full = gain();
      speaker.duck(true);
      const lowered = await until(() => gain() < 0.35);
      speaker.duck(false);
      const restored = await until(() => gain() > 0.95);
      speaker.duck(true);
      await until(() => gain() < 0.35);
      speaker.interrupt();  // a real interruption: the audio stops, and the next turn plays at full volume
      const afterCut = await until(() => gain() > 0.95);
      return { full, lowered, restored, afterCut };
    }""")
    assert result == {"full": 1, "lowered": True, "restored": True, "afterCut": True}
