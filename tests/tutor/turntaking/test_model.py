"""Smart Turn v3.2 from the pipecat-ai wheel: found without importing pipecat, one session for the process,
batches that answer as single calls do, and its verdict on eSpeak speech where it holds in every voice."""

import asyncio
import importlib.util

import numpy as np
import pytest

from tutor.providers.offline import tts
from tutor.turntaking import features
from tutor.turntaking.model import MODEL_FILE, TurnModelMissing, packaged_file, smart_turn

RATE = 16_000
VOICES = (("m3", 140), ("f4", 170), ("m7", 120), ("f1", 190))


def said(text: str, language: str, variant: str = "m3", pace: int = 140) -> bytes:
    pcm = np.frombuffer(tts.speak(text, language=language, rate=RATE, variant=variant, pace=pace), dtype="<i2")
    return np.concatenate([np.zeros(4800, "<i2"), pcm, np.zeros(16 * 160, "<i2")]).tobytes()


def test_the_model_file_is_found_in_the_installed_wheel_and_a_missing_one_says_how_to_install_it():
    assert packaged_file(MODEL_FILE).stat().st_size > 5_000_000
    with pytest.raises(TurnModelMissing, match=r"requirements-models\.txt"):
        packaged_file("pipecat/no/such/model.onnx")


def test_one_model_serves_the_whole_process():
    assert smart_turn() is smart_turn()


def test_features_are_pipecats_own_to_the_last_bit():
    """pipecat's numpy copy of Whisper's feature extractor, loaded from the wheel without importing pipecat
    (whose package needs loguru), is the reference."""
    path = packaged_file("pipecat/audio/turn/smart_turn/_whisper_features.py")
    spec = importlib.util.spec_from_file_location("pipecat_whisper_features", path)
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    rng = np.random.default_rng(3)
    for size in (0, 150, 201, 361, RATE * 2 + 37, features.SAMPLES, features.SAMPLES + 999):
        audio = rng.normal(0, 0.1, size).astype(np.float32)
        padded = np.pad(audio[-features.SAMPLES :], (features.SAMPLES - min(size, features.SAMPLES), 0))
        np.testing.assert_allclose(features.log_mel(audio), reference.compute_whisper_log_mel_features(padded),
                                   atol=1e-6)  # fmt: skip


def test_a_batch_answers_as_one_call_at_a_time_does():
    model = smart_turn()
    utterances = [said("Je voudrais un café", "fr"), said("I would like, uh,", "en")]
    together = model.probabilities(utterances)
    alone = [model.probabilities([u])[0] for u in utterances]
    np.testing.assert_allclose(together, alone, atol=1e-4)
    assert all(0.0 <= p <= 1.0 for p in together)


async def test_sessions_asking_at_once_each_get_their_own_answer():
    model = smart_turn()
    utterances = [said(text, "en", variant) for text in ("Hello", "I would like, uh,") for variant, _ in VOICES]
    answers = await asyncio.gather(*(model.probability(u) for u in utterances))
    np.testing.assert_allclose(answers, [model.probabilities([u])[0] for u in utterances], atol=1e-4)
