"""eSpeak NG synthesis, the VAD and the constrained recognizer, on real synthesized speech."""

from tests.fakes.sound import rms_dbfs
from tutor.audio import silence
from tutor.providers.offline import recognizer
from tutor.providers.offline.tts import speak
from tutor.providers.offline.vad import SpeechBegan, SpeechEnded, TurnDetector

CAFE = ("Je voudrais un café, s'il vous plaît", "Un café, s'il vous plaît", "Je voudrais un café")


def test_espeak_speaks_each_demo_language_at_the_rate_asked():
    for text, language in [("Bonjour", "fr-FR"), ("Hola", "es-ES"), ("Guten Tag", "de-DE"),
                           ("はじめまして", "ja-JP"), ("Hello", "en-GB")]:  # fmt: skip
        pcm = speak(text, language=language, rate=24_000)
        assert len(pcm) > 24_000 * 2 * 0.2 and rms_dbfs(pcm) > -40


def test_the_vad_finds_one_utterance_in_speech_between_silences():
    pcm = silence(500, 16_000) + speak("Je voudrais un café", language="fr-FR", rate=16_000, variant="m1")
    pcm += silence(1200, 16_000)
    detector = TurnDetector()
    events = [event for start in range(0, len(pcm), 640) for event in detector.feed(pcm[start : start + 640])]
    assert isinstance(events[0], SpeechBegan) and isinstance(events[1], SpeechEnded) and len(events) == 2
    assert 800 < events[1].duration_ms < 2500


def test_silence_and_a_click_are_not_speech():
    detector = TurnDetector()
    click = bytes(640) * 10 + (b"\xff\x7f" * 80) + bytes(640) * 10
    assert detector.feed(silence(3000, 16_000) + click) == []


def test_the_recognizer_picks_the_expected_answer_that_was_said_in_another_voice():
    for answer in CAFE:
        said = speak(answer, language="fr-FR", rate=16_000, variant="m1")
        assert recognizer.recognize(said, CAFE, language="fr-FR").text == answer


def test_the_recognizer_admits_it_did_not_understand_something_else():
    said = speak("Bonjour, comment allez-vous ?", language="fr-FR", rate=16_000, variant="m1")
    result = recognizer.recognize(said, CAFE, language="fr-FR")
    assert result.text is None


def test_a_one_word_change_is_not_mistaken_for_the_expected_answer():
    said = speak("Ich habe vier Jahre Erfahrung", language="de-DE", rate=16_000, variant="f1")
    expected = ("Ich habe drei Jahre Erfahrung", "Ich habe zwei Jahre Erfahrung")
    assert recognizer.recognize(said, expected, language="de-DE").text is None
