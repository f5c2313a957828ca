"""eSpeak NG synthesis, the VAD and the constrained recognizer, on real synthesized speech."""

from tests.fakes.sound import rms_dbfs
from tutor.audio import silence
from tutor.providers.offline import recognizer
from tutor.providers.offline.tts import speak, speak_words
from tutor.providers.offline.vad import SpeechBegan, SpeechEnded, SpeechPaused, TurnDetector

CAFE = ("Je voudrais un café, s'il vous plaît", "Un café, s'il vous plaît", "Je voudrais un café")


def test_espeak_speaks_each_demo_language_at_the_rate_asked():
    for text, language in [("Bonjour", "fr-FR"), ("Hola", "es-ES"), ("Guten Tag", "de-DE"),
                           ("はじめまして", "ja-JP"), ("Hello", "en-GB")]:  # fmt: skip
        pcm = speak(text, language=language, rate=24_000)
        assert len(pcm) > 24_000 * 2 * 0.2 and rms_dbfs(pcm) > -40


def test_the_vad_finds_one_utterance_in_speech_between_silences():
    pcm = silence(500, 16_000) + speak("Je voudrais un café", language="fr-FR", rate=16_000, variant="m1")
    pcm += silence(1200, 16_000)
    detector = TurnDetector(end_silence_ms=700)
    events = [event for start in range(0, len(pcm), 640) for event in detector.feed(pcm[start : start + 640])]
    turns = [event for event in events if not isinstance(event, SpeechPaused)]
    assert isinstance(turns[0], SpeechBegan) and isinstance(turns[1], SpeechEnded) and len(turns) == 2
    assert 800 < turns[1].duration_ms < 2500


def test_a_pause_is_reported_with_the_utterance_so_far_and_the_turn_can_end_there():
    words = speak("Je voudrais un café", language="fr-FR", rate=16_000, variant="m1")
    detector = TurnDetector(end_silence_ms=1500, pause_ms=(160,))
    events = detector.feed(silence(300, 16_000) + words + silence(400, 16_000))
    [pause] = [event for event in events if isinstance(event, SpeechPaused)]
    assert pause.silence_ms == 160 and len(pause.pcm) > len(words) * 0.8
    assert detector.still_paused(pause)
    ended = detector.end_now()
    assert isinstance(ended, SpeechEnded) and not detector.still_paused(pause)


def test_speech_after_a_pause_makes_the_pause_stale():
    words = speak("Je voudrais", language="fr-FR", rate=16_000, variant="m1")
    detector = TurnDetector(end_silence_ms=1500, pause_ms=(160,))
    [pause] = [e for e in detector.feed(words + silence(300, 16_000)) if isinstance(e, SpeechPaused)]
    detector.feed(speak("un café", language="fr-FR", rate=16_000, variant="m1"))
    assert not detector.still_paused(pause)


def test_silence_and_a_click_are_not_speech():
    detector = TurnDetector()
    click = bytes(640) * 10 + (b"\xff\x7f" * 80) + bytes(640) * 10
    assert detector.feed(silence(3000, 16_000) + click) == []


def test_espeak_says_where_each_word_starts():
    speech = speak_words("Ich habe drei Jahre Erfahrung", language="de-DE", rate=16_000)
    assert [mark.start_char for mark in speech.words] == [0, 4, 9, 14, 20]
    starts = [mark.sample for mark in speech.words]
    assert starts == sorted(starts) and starts[-1] < len(speech.pcm) // 2


def test_the_answer_is_found_after_a_greeting_and_before_a_filler():
    said = speak("Bonjour, je voudrais un café, s'il vous plaît. Euh.", language="fr-FR", rate=16_000, variant="f4")
    result = recognizer.recognize(said, CAFE, language="fr-FR")
    assert result.text == CAFE[0]
    assert [word.word for word in result.words] == ["Je", "voudrais", "un", "café", "s'il", "vous", "plaît"]
    assert all(0 <= word.confidence <= 1 for word in result.words)


def test_a_known_wrong_answer_is_heard_as_itself_not_as_the_expected_one():
    said = speak("Un croissant, s'il vous plaît", language="fr-FR", rate=16_000, variant="m1")
    result = recognizer.recognize(said, CAFE, language="fr-FR", others=("Un croissant, s'il vous plaît", "Non merci"))
    assert result.text is None and result.other == "Un croissant, s'il vous plaît"


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


def test_a_word_said_wrong_is_heard_less_clearly_than_said_right():
    def clarity(said: str, voice: str) -> float:
        pcm = speak(said, language="fr-FR", rate=16_000, variant=voice)
        result = recognizer.recognize(pcm, (CAFE[0],), language="fr-FR")
        return {word.word: word.confidence for word in result.words}.get("café", 0.0)

    voices = ("m2", "f3", "m6", "f5")
    right = sum(clarity("Je voudrais un café, s'il vous plaît", voice) for voice in voices)
    wrong = sum(clarity("Je voudrais un cadé, s'il vous plaît", voice) for voice in voices)
    assert wrong < right
