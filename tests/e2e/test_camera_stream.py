"""Sharing the camera with the tutor, in Chromium with its fake camera (a moving test pattern): frames
reach Gemini Live's fake server through Daphne and the real google-genai SDK every second and a half,
with a badge saying so, until the student stops it or the browser ends the camera, and a still view
only once; the screen likewise, then a picture and snapshots; with the offline tutor, who cannot see, the page
offers no picture at all and says why."""

import json
import re
import struct
import time

import pytest

from lessons.demo import DEMO_PASSWORD, demo_seed
from tests.servers import daphne

from ..fakes import gemini_live, tls
from .audio import quiet, write_wav
from .conftest import log_in, orm, watch
from .pictures import write_png
from .test_gemini_session import FakeInThread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LESSON = "Ordering at a café in Lyon"
MAX_FRAME_BYTES = 700 * 1024
MAX_EDGE = 768
# A camera whose view never changes: a canvas redrawn the same, ten times a second.
STILL_CAMERA = """() => {
  const canvas = Object.assign(document.createElement("canvas"), { width: 640, height: 360 });
  const context = canvas.getContext("2d");
  const draw = () => {
    context.fillStyle = "#2a6";
    context.fillRect(0, 0, 640, 360);
    context.fillStyle = "#fff";
    context.fillRect(100, 100, 200, 100);
  };
  draw();
  setInterval(draw, 100);
  const stream = canvas.captureStream(10);
  navigator.mediaDevices.getUserMedia = async () => stream;
}"""


def jpeg_size(data: bytes) -> tuple[int, int]:
    """Width and height from a JPEG's start-of-frame segment."""
    position = 2
    while position < len(data):
        marker, length = data[position + 1], struct.unpack(">H", data[position + 2 : position + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        position += 2 + length
    raise AssertionError("no start-of-frame segment in the JPEG")


def wait_until(page, condition, *, within: float) -> float:
    """Poll `condition` while the page runs; returns the seconds it took, failing after `within`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < within, "not in time"
        page.wait_for_timeout(50)
    return time.monotonic() - started


def test_the_shared_camera_streams_frames_to_the_tutor_until_stopped(chromium, artifacts, shots, tmp_path):
    orm(demo_seed)
    certificate = tls.make_certificate(tmp_path)
    with FakeInThread(gemini_live.FakeGeminiLive(certificate, gemini_live.FakeLiveOptions(api_key="test-key"))) as fake:
        environment = {
            "GEMINI_API_KEY": "test-key",
            "GEMINI_BASE_URL": fake.url,
            "SSL_CERT_FILE": str(certificate.cert_file),
        }
        with daphne(artifacts / "daphne.log", settings="tests.e2e.gemini_settings", env=environment) as server:
            browser = chromium(write_wav(artifacts / "silence.wav", quiet(1000)))
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors = watch(page)
            log_in(page, server.url, "ana", DEMO_PASSWORD)
            page.get_by_role("button", name=f"Start {LESSON}").first.click()
            page.wait_for_url(re.compile(r"/sessions/\d+/live/$"))
            page.click("#start")
            page.locator("#connection-state", has_text="Live").wait_for()
            assert page.locator("#sharing-unavailable").is_hidden()
            assert page.get_attribute("#share-camera", "aria-describedby") is None  # no reason to give

            def frames() -> list[bytes]:
                return [data for _mime, data in (r.data for r in fake.connections[-1].of_kind("image"))]

            # By keyboard: the camera is shared, the badge says so, and frames flow at once.
            page.focus("#share-camera")
            page.keyboard.press("Enter")
            page.locator("#sharing-state", has_text="Sharing camera").wait_for()
            took = wait_until(page, lambda: len(frames()) >= 2, within=30.0)  # how soon is measured, not asserted
            assert page.get_attribute("#share-camera", "aria-pressed") == "true"
            assert page.evaluate("document.activeElement.id") == "snapshot-stop"
            assert page.locator(".live-transcript .turn.picture").count() == 0  # frames are not pictures
            for frame in frames():
                assert frame[:3] == b"\xff\xd8\xff" and len(frame) < MAX_FRAME_BYTES
                assert max(jpeg_size(frame)) <= MAX_EDGE
            measured = {"seconds_to_two_frames": round(took, 2), "frames": [[len(f), *jpeg_size(f)] for f in frames()]}
            shots.take(page, "sharing-camera")

            # Stop: the badge goes, one line says what was shared, and no frame follows.
            page.keyboard.press("Enter")
            page.locator("#sharing-state").wait_for(state="hidden")
            page.locator("#notice", has_text="Sharing stopped.").wait_for()
            page.locator(".live-transcript .turn.note", has_text="You shared your camera").wait_for()
            assert page.evaluate("document.activeElement.id") == "share-camera"
            page.wait_for_timeout(300)  # a frame already on the wire lands
            stopped_at = len(frames())
            page.wait_for_timeout(3000)
            assert len(frames()) == stopped_at
            shots.take(page, "stopped")

            # The browser ending the camera (as its own "stop sharing" bar does) stops the sharing too.
            page.click("#share-camera")
            page.locator("#sharing-state", has_text="Sharing camera").wait_for()
            page.evaluate(
                "document.getElementById('snapshot-video').srcObject.getVideoTracks()"
                ".forEach((track) => track.dispatchEvent(new Event('ended')))"
            )
            page.locator("#sharing-state").wait_for(state="hidden")
            page.locator("#notice", has_text="Sharing stopped.").wait_for()
            assert page.locator("#snapshot-panel").is_hidden()
            shots.take(page, "ended-by-the-browser")

            # A still view is sent once, not every second and a half.
            page.evaluate(STILL_CAMERA)
            before = len(frames())
            page.click("#share-camera")
            page.locator("#sharing-state", has_text="Sharing camera").wait_for()
            wait_until(page, lambda: len(frames()) > before, within=30.0)
            page.wait_for_timeout(4500)  # three more ticks of the frame loop
            assert len(frames()) == before + 1
            page.click("#snapshot-stop")
            measured["still_view_frames_in_4_5_s"] = len(frames()) - before

            # The screen likewise (Chromium's fake screen, taken without a dialog).
            before = len(frames())
            page.click("#share-screen")
            page.locator("#sharing-state", has_text="Sharing screen").wait_for()
            wait_until(page, lambda: len(frames()) > before, within=30.0)
            page.wait_for_timeout(3000)
            measured["screen_frames_in_3_s_after_the_first"] = len(frames()) - before - 1
            assert all(max(jpeg_size(frame)) <= MAX_EDGE for frame in frames()[before:])
            page.click("#snapshot-stop")
            page.locator(".live-transcript .turn.note", has_text="You shared your screen").wait_for()
            (artifacts / "frames.json").write_text(json.dumps(measured, indent=1))

            # A picture larger than the page sends is downscaled; of a double click on the snapshot button, one
            # snapshot goes and one is held back.
            page.set_input_files("#picture-file", str(write_png(artifacts / "big.png", 2400, 1600)))
            sent = page.locator(".live-transcript .turn.picture img").first
            sent.wait_for()
            assert sent.evaluate("img => img.complete && img.naturalWidth === 1024 && img.naturalHeight === 683")
            page.click("#camera")
            page.locator("#snapshot-panel").wait_for()
            page.wait_for_function("() => !document.getElementById('snapshot-send').disabled")  # a second passed
            page.dblclick("#snapshot-send")
            page.locator(".live-transcript .turn.picture", has_text="You sent a snapshot.").wait_for()
            page.locator("#notice", has_text="One picture a second at most").wait_for()
            assert page.locator(".live-transcript .turn.picture").count() == 2
            shots.take(page, "pictures-sent")
            assert errors == []


def test_with_the_offline_tutor_no_picture_can_be_shown_and_the_page_says_why(chromium, artifacts, shots):
    """Issue 24, defect 5: the offline tutor cannot see, so uploading a picture and the camera and screen snapshots
    are off like sharing, each pointing at the note that says why."""
    orm(demo_seed)
    with daphne(artifacts / "daphne.log") as server:
        browser = chromium(write_wav(artifacts / "silence.wav", quiet(1000)))
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = watch(page)
        log_in(page, server.url, "ana", DEMO_PASSWORD)
        page.get_by_role("button", name=f"Start {LESSON}").first.click()
        page.wait_for_url(re.compile(r"/sessions/\d+/live/$"))
        page.click("#start")
        page.locator("#connection-state", has_text="Live").wait_for()
        assert page.is_enabled("#typed-text")  # typing still works
        page.locator("#sharing-unavailable", has_text="The offline tutor cannot see").wait_for()
        for button in ("#picture-upload", "#camera", "#screen", "#share-camera", "#share-screen"):
            assert page.is_disabled(button), button
            assert page.get_attribute(button, "aria-describedby") == "sharing-unavailable", button
        assert page.locator("#snapshot-panel").is_hidden() and page.locator("#sharing-state").is_hidden()
        shots.take(page, "offline-no-pictures")
        assert errors == []
