"""Both VADs on eSpeak speech in the five demo languages: its voice heard as speech, the silence and the
noise floor around it not, in every voice tried."""

import numpy as np
import pytest

from tutor.providers.offline import tts
from tutor.providers.offline.features import loud_span
from tutor.turntaking.vad import SileroVad, WebRtcVad, level_dbfs

RATE = 16_000
SENTENCES = {
    "fr": "Je voudrais une table pour deux personnes",
    "es": "Mañana voy a la playa con mi familia",
    "de": "Ich nehme den Zug um acht Uhr",
    "ja": "きのう ともだちと えいがを みました",
    "en": "I usually take the train at eight o'clock",
}
VOICES = (("m3", 140), ("f4", 170), ("m7", 120))


def judged(vad, samples: np.ndarray) -> np.ndarray:
    size = vad.frame_samples
    pcm = samples.astype("<i2")
    return np.array([vad.is_speech(pcm[i : i + size].tobytes()) for i in range(0, pcm.size - size + 1, size)])


@pytest.mark.parametrize("make", [SileroVad, lambda: WebRtcVad(2)], ids=["silero", "webrtc"])
@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_speech_is_heard_and_the_noise_floor_around_it_is_not(make, language):
    rng = np.random.default_rng(7)
    for variant, pace in VOICES:
        speech = np.frombuffer(
            tts.speak(SENTENCES[language], language=language, rate=RATE, variant=variant, pace=pace), dtype="<i2"
        ).astype(np.float64)
        quiet = np.zeros(RATE)
        signal = np.concatenate([quiet, speech, quiet]) + rng.normal(
            0, 32768 * 10 ** (-50 / 20), 2 * RATE + speech.size
        )
        start, end = loud_span(speech / 32768)
        vad = make()
        frames = judged(vad, signal)
        step = vad.frame_samples
        during = frames[(RATE + start) // step + 2 : (RATE + end) // step - 2]
        before, after = frames[: RATE // step - 2], frames[(RATE + speech.size) // step + 8 :]
        assert during.mean() > 0.6, (variant, pace, during.mean())
        assert before.mean() < 0.1 and after.mean() < 0.1, (variant, pace)


def test_the_level_of_a_frame_is_in_decibels_below_full_scale():
    assert level_dbfs(np.full(320, 32767, dtype="<i2").tobytes()) == pytest.approx(0, abs=0.01)
    assert level_dbfs(np.full(320, 327, dtype="<i2").tobytes()) == pytest.approx(-40, abs=0.1)
    assert level_dbfs(bytes(640)) < -150
