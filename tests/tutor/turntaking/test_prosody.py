"""Final lowering: a voice that plunges below its range at the end sounds finished; one that rises, holds
level, or stops on a filler or mid-phrase does not, in every eSpeak rendering tried."""

import numpy as np
import pytest

from tutor.providers.offline import tts
from tutor.turntaking import prosody
from tutor.turntaking.prosody import FinalLowering

RATE = 16_000
VOICES = (("m3", 140), ("f4", 170), ("m7", 120), ("f1", 190))
FILLERS = {"fr": "Je voudrais, euh,", "es": "Quiero, eh,", "de": "Ich möchte, äh,", "ja": "わたしは えーと",
           "en": "I would like, uh,"}  # fmt: skip
# A whole sentence, and where a learner stops before the word they are looking for. Said whole, the words
# before the stop keep their mid-sentence melody: said alone, eSpeak would end them as a full stop.
SENTENCES = {
    "fr": ("Je voudrais une table pour deux personnes", "Je voudrais une table pour"),
    "es": ("Mañana voy a la playa con mi familia", "Mañana voy a la"),
    "de": ("Ich nehme den Zug um acht Uhr", "Ich nehme den Zug um"),
    "ja": ("きのう ともだちと えいがを みました", "きのう ともだちと"),
    "en": ("Last weekend I went to the cinema with my friends", "Last weekend I went to the"),
}


def heard(samples: np.ndarray, silence_ms: int = 160) -> bytes:
    """As the detector hands it over: a little lead, the voice, the silence that made it ask."""
    voiced = np.asarray(samples, dtype=np.float64)
    return np.concatenate([np.zeros(4800), voiced, np.zeros(16 * silence_ms)]).astype("<i2").tobytes()


def voice(contour_hz: np.ndarray) -> np.ndarray:
    phase = 2 * np.pi * np.cumsum(contour_hz) / RATE
    return sum(np.sin(k * phase) / k for k in range(1, 6)) * 6000


def contour(points: list[float], seconds: float) -> np.ndarray:
    count = int(RATE * seconds)
    return np.interp(np.arange(count), np.linspace(0, count, len(points)), points)


SPOKEN = contour([180, 220, 190, 210, 185], 1.5)


def test_a_voice_that_plunges_below_its_range_at_the_end_sounds_finished():
    falling = np.concatenate([SPOKEN, contour([185, 90], 0.12)])
    assert prosody.probability(heard(voice(falling))) > 0.8


@pytest.mark.parametrize(("ending", "most"), [([185, 280], 0.05), ([185, 190], 0.3)], ids=["rising", "level"])
def test_a_voice_that_rises_or_holds_at_the_end_sounds_unfinished(ending, most):
    assert prosody.probability(heard(voice(np.concatenate([SPOKEN, contour(ending, 0.15)])))) < most


def test_noise_or_silence_has_no_voice_to_judge_and_sounds_unfinished():
    rng = np.random.default_rng(1)
    assert prosody.final_levels(heard(rng.normal(0, 300, RATE))) is None
    assert prosody.probability(heard(np.zeros(RATE))) == 0.0


@pytest.mark.parametrize("language", sorted(FILLERS))
def test_a_learner_stopping_on_a_filler_or_mid_phrase_sounds_unfinished_in_every_voice(language):
    whole, stop = SENTENCES[language]
    for variant, pace in VOICES:
        filler = tts.speak(FILLERS[language], language=language, rate=RATE, variant=variant, pace=pace)
        assert prosody.probability(heard(np.frombuffer(filler, dtype="<i2"))) < 0.2, (variant, pace)
        sentence = tts.speak_words(whole, language=language, rate=RATE, variant=variant, pace=pace)
        cut = next(mark.sample for mark in sentence.words if mark.start_char > len(stop))
        before = np.frombuffer(sentence.pcm, dtype="<i2")[:cut]
        assert prosody.probability(heard(before)) < 0.5, (variant, pace)


async def test_the_model_answers_on_its_thread_what_the_function_says():
    pcm = heard(voice(np.concatenate([SPOKEN, contour([185, 90], 0.12)])))
    assert await FinalLowering().probability(pcm) == prosody.probability(pcm)
