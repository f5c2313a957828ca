"""The offline tutor as a provider: the dialogue, barge-in on real speech, corrections, hints, resumption."""

import asyncio

import pytest

from tests.tutor.conftest import LEARNER, LESSON
from tutor.audio import silence
from tutor.brief import LessonBrief, Persona, RestoredContext, VocabularyEntry
from tutor.events import (
    AudioOut,
    Interrupted,
    LessonComplete,
    Resumable,
    SpeechStarted,
    ToolCall,
    TranscriptDelta,
    TranscriptFinal,
    TurnComplete,
)
from tutor.persona import build_setup
from tutor.providers.offline.config import OfflineConfig
from tutor.providers.offline.phrases import PHRASES
from tutor.providers.offline.provider import OfflineProvider
from tutor.providers.offline.tts import speak


class Tutor:
    """An offline connection and everything it emitted."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.events: list = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for event in self.connection.events():
            self.events.append(event)

    async def until(self, predicate, timeout: float = 60) -> None:
        async with asyncio.timeout(timeout):
            while not predicate(self.events):
                await asyncio.sleep(0.01)

    def said(self) -> list[str]:
        return [e.text for e in self.events if isinstance(e, TranscriptDelta)]

    def tools(self, name: str) -> list[dict]:
        return [e.arguments for e in self.events if isinstance(e, ToolCall) and e.name == name]

    def count(self, kind) -> int:
        return sum(isinstance(e, kind) for e in self.events)


@pytest.fixture
async def tutor_factory():
    tutors: list[Tutor] = []

    async def make(lesson=LESSON, *, realtime=False, config: dict | None = None, **setup_args) -> Tutor:
        setup = build_setup(lesson=lesson, learner=LEARNER, model="offline", voice="f2", **setup_args)
        tutor = Tutor(await OfflineProvider(OfflineConfig(realtime=realtime, **(config or {}))).connect(setup))
        tutors.append(tutor)
        return tutor

    yield make
    for tutor in tutors:
        await tutor.connection.close()


def turns_done(count: int):
    return lambda events: sum(isinstance(e, TurnComplete) for e in events) >= count


async def test_it_opens_with_the_first_line_spoken_in_the_lessons_language(tutor_factory):
    tutor = await tutor_factory()
    await tutor.until(turns_done(1))
    assert tutor.said() == ["Bonjour ! Qu'est-ce que vous voulez boire ?"]
    assert sum(len(e.pcm) for e in tutor.events if isinstance(e, AudioOut)) > 48_000


async def test_a_right_answer_gets_praise_the_next_line_and_vocabulary_notes(tutor_factory):
    tutor = await tutor_factory()
    await tutor.until(turns_done(1))
    await tutor.connection.send_text("Je voudrais un café, s'il vous plaît")
    await tutor.until(turns_done(2))
    assert tutor.said()[-1].endswith("Et avec ça ?")
    assert tutor.tools("note_vocabulary") == [
        {"word": "un café", "status": "used"},
        {"word": "un café", "status": "learned"},
    ]
    assert Resumable("step:1") in tutor.events


async def test_a_close_answer_is_corrected_and_asked_again(tutor_factory):
    tutor = await tutor_factory()
    await tutor.until(turns_done(1))
    await tutor.connection.send_text("Je voudrait un café, s'il vous plaît")
    await tutor.until(turns_done(2))
    [correction] = tutor.tools("note_correction")
    assert correction["category"] == "grammar" and correction["corrected"] == "Je voudrais un café, s'il vous plaît"
    assert tutor.said()[-1].startswith("Presque ! On dit : Je voudrais un café")
    assert not any(isinstance(e, Resumable) for e in tutor.events)


async def test_a_correction_names_the_rule_of_each_mistake_in_the_students_language(tutor_factory):
    tutor = await tutor_factory()  # Ana reads Spanish
    await tutor.until(turns_done(1))
    await tutor.connection.send_text("Je voudrai un cafe, s'il vous plait")
    await tutor.until(turns_done(2))
    [correction] = tutor.tools("note_correction")
    assert correction["rule"] == "Conjugación de «vouloir»: «voudrais», no «voudrai»."
    await tutor.connection.send_text("Je voudrais un thé, s'il vous plaît")
    await tutor.until(turns_done(3))
    assert tutor.tools("note_correction")[-1]["rule"] == "Elección de palabra: «café», no «thé»."


async def test_two_misses_bring_the_hint(tutor_factory):
    tutor = await tutor_factory()
    await tutor.until(turns_done(1))
    for count in (2, 3):
        await tutor.connection.send_text("Où est la gare ?")
        await tutor.until(turns_done(count))
    first_miss, second_miss = tutor.said()[-2:]
    assert first_miss.startswith("Pas tout à fait.")
    assert second_miss == "Vous pouvez dire : Je voudrais un café, s'il vous plaît (Say: je voudrais un café.)"


async def test_speech_over_the_tutor_interrupts_it(tutor_factory):
    tutor = await tutor_factory(realtime=True)  # speaking at real pace, so there is something to interrupt
    await tutor.until(lambda events: tutor.count(AudioOut) >= 3)
    speech = speak("Je voudrais un café, s'il vous plaît", language="fr-FR", rate=16_000, variant="m1")
    for start in range(0, len(speech) + 32_000, 640):
        await tutor.connection.send_audio((speech + silence(1000, 16_000))[start : start + 640])
    await tutor.until(lambda events: any(isinstance(e, TranscriptFinal) for e in events))
    order = [type(e) for e in tutor.events if not isinstance(e, AudioOut | TranscriptDelta)]
    assert order[:4] == [Interrupted, TurnComplete, SpeechStarted, TranscriptFinal]
    assert tutor.events[[type(e) for e in tutor.events].index(TranscriptFinal)].text.startswith("Je voudrais un café")


async def test_unclear_speech_asks_once_to_type_then_repeats_the_question(tutor_factory):
    tutor = await tutor_factory()
    await tutor.until(turns_done(1))
    mumble = speak("Il fait très beau aujourd'hui", language="fr-FR", rate=16_000, variant="m1")
    mumble += silence(2000, 16_000)  # longer than an A1 lesson's patience
    for count in (2, 3):
        await tutor.connection.send_audio(mumble)
        await tutor.until(turns_done(count))
    finals = [e.text for e in tutor.events if isinstance(e, TranscriptFinal)]
    assert finals == ["", ""]
    assert tutor.said()[-2] == "Je n'ai pas bien compris. Pouvez-vous écrire votre réponse ?"
    assert tutor.said()[-1].startswith("Pardon, je n'ai pas compris.")


async def test_microphone_off_ends_the_utterance(tutor_factory):
    tutor = await tutor_factory()
    await tutor.until(turns_done(1))
    await tutor.connection.send_audio(speak("Je voudrais un café", language="fr-FR", rate=16_000, variant="m1"))
    await tutor.connection.end_audio_stream()
    await tutor.until(lambda events: any(isinstance(e, TranscriptFinal) for e in events))


async def test_it_says_it_cannot_see_pictures(tutor_factory):
    tutor = await tutor_factory()
    await tutor.until(turns_done(1))
    await tutor.connection.send_image(b"\xff\xd8\xff", "image/jpeg")
    await tutor.until(turns_done(2))
    assert "ne peux pas voir les images" in tutor.said()[-1]


async def test_an_objective_is_met_by_answering_its_step_and_no_other_is(tutor_factory):
    tutor = await tutor_factory()
    await tutor.until(turns_done(1))
    await tutor.connection.send_text("Je voudrais un café, s'il vous plaît")
    await tutor.until(turns_done(2))
    await tutor.connection.send_text("Un croissant, s'il vous plaît")
    await tutor.until(turns_done(3))
    # "Ask for the bill" has no step: finishing the dialogue does not pretend the student did it.
    assert [o["objective"] for o in tutor.tools("complete_objective")] == ["Order a drink"]
    assert "la leçon est terminée" in tutor.said()[-1]


async def test_after_the_last_step_the_closing_line_is_said_whole_then_the_lesson_is_complete(tutor_factory):
    tutor = await tutor_factory()
    await tutor.until(turns_done(1))
    await tutor.connection.send_text("Je voudrais un café, s'il vous plaît")
    await tutor.until(turns_done(2))
    assert tutor.count(LessonComplete) == 0  # a step is left
    await tutor.connection.send_text("Un croissant, s'il vous plaît")
    await tutor.until(lambda events: LessonComplete() in events)
    assert tutor.said()[-1] == "Parfait ! Bravo, la leçon est terminée ! Merci, et à bientôt."
    closing = tutor.events.index(TranscriptDelta("tutor", tutor.said()[-1]))
    assert [type(e) for e in tutor.events[closing + 1 :] if not isinstance(e, AudioOut)] == [
        TurnComplete,
        LessonComplete,
    ]
    assert tutor.count(LessonComplete) == 1 and tutor.count(Interrupted) == 0


async def test_a_closing_line_cut_off_completes_nothing_until_it_is_said_again(tutor_factory):
    tutor = await tutor_factory(realtime=True, resumption_handle="step:2")  # past the last step: it closes at once
    await tutor.until(lambda events: tutor.count(AudioOut) >= 3)
    await tutor.connection.send_text("Merci !")  # over the closing line
    await tutor.until(lambda events: LessonComplete() in events)
    closing = TranscriptDelta("tutor", "Bravo, la leçon est terminée ! Merci, et à bientôt.")
    assert [e for e in tutor.events if not isinstance(e, AudioOut)] == [
        closing, Interrupted(), TurnComplete(), closing, TurnComplete(), LessonComplete()
    ]  # fmt: skip


@pytest.mark.parametrize("language", sorted(PHRASES))
def test_the_closing_line_asks_the_student_to_do_nothing(language):
    """The lesson ends by itself after it: no "you can end the session" (issue 24, defect 10)."""
    session = {"fr": "séance", "es": "sesión", "de": "Sitzung", "it": "sessione", "pt": "sessão", "ja": "セッション"}
    assert session.get(language, "session") not in PHRASES[language].finished


async def test_an_objective_answered_only_after_the_hint_is_not_met(tutor_factory):
    tutor = await tutor_factory()
    await tutor.until(turns_done(1))
    for count, answer in enumerate(("Où est la gare ?", "Où est la gare ?", "Je voudrais un café, s'il vous plaît")):
        await tutor.connection.send_text(answer)
        await tutor.until(turns_done(count + 2))
    assert "Vous pouvez dire" in tutor.said()[-2]
    assert tutor.said()[-1].endswith("Et avec ça ?")
    assert tutor.tools("complete_objective") == []


async def test_a_resumed_connection_picks_up_at_the_step_in_its_handle(tutor_factory):
    tutor = await tutor_factory(resumption_handle="step:1", context=RestoredContext(summary="Ana ordered a coffee."))
    await tutor.until(turns_done(1))
    assert tutor.said() == ["Reprenons. Et avec ça ?"]


async def test_a_lesson_without_dialogue_becomes_a_repeat_after_me_drill(tutor_factory):
    lesson = LessonBrief(
        title="Words", language="es-ES", level="A1", scenario="Words", persona=Persona("Lucía"),
        vocabulary=(VocabularyEntry("perdone", example="Perdone, ¿dónde está el museo?"),),
    )  # fmt: skip
    tutor = await tutor_factory(lesson)
    await tutor.until(turns_done(1))
    assert tutor.said() == ["Repite conmigo: Perdone, ¿dónde está el museo?"]
    await tutor.connection.send_text("Perdone, dónde está el museo")
    await tutor.until(turns_done(2))
    assert "la lección ha terminado" in tutor.said()[-1]


async def test_speech_over_the_last_of_a_line_still_interrupts_it(tutor_factory):
    """The turn completes a little before the browser has played it all; what is still playing can be cut."""
    tutor = await tutor_factory(realtime=True)
    await tutor.until(turns_done(1), timeout=60)
    assert tutor.connection._speech is not None  # still audible in the browser
    await tutor.connection.send_text("Je voudrais un café, s'il vous plaît")
    await tutor.until(lambda events: any(isinstance(e, Interrupted) for e in events))
    after_turn = tutor.events[[type(e) for e in tutor.events].index(TurnComplete) + 1 :]
    assert isinstance(after_turn[0], Interrupted)
    assert sum(isinstance(e, TurnComplete) for e in tutor.events) == 1  # the turn was already over


async def test_a_clearly_heard_answer_ends_the_turn_without_waiting_for_the_patience(tutor_factory):
    """An A1 lesson waits 1.5 s for a learner mid-phrase; a heard answer is taken at its first pause."""
    tutor = await tutor_factory()
    await tutor.until(turns_done(1))
    speech = speak("Bonjour, je voudrais un café, s'il vous plaît", language="fr-FR", rate=16_000, variant="m2")
    await tutor.connection.send_audio(speech + silence(500, 16_000))
    await tutor.until(turns_done(2))
    assert [e.text for e in tutor.events if isinstance(e, TranscriptFinal)] == ["Je voudrais un café, s'il vous plaît"]
    assert tutor.said()[-1].endswith("Et avec ça ?")


async def test_a_learner_mid_phrase_is_given_time(tutor_factory):
    tutor = await tutor_factory()
    await tutor.until(turns_done(1))
    await tutor.connection.send_audio(speak("Je voudrais", language="fr-FR", rate=16_000, variant="m2"))
    await tutor.connection.send_audio(silence(1000, 16_000))
    await asyncio.sleep(0.5)  # the pause's recognition has had time to come back
    assert tutor.count(TranscriptFinal) == 0
    await tutor.connection.send_audio(speak("un café, s'il vous plaît", language="fr-FR", rate=16_000, variant="m2"))
    await tutor.connection.send_audio(silence(500, 16_000))
    await tutor.until(turns_done(2))
    assert [e.text for e in tutor.events if isinstance(e, TranscriptFinal)] == ["Je voudrais un café, s'il vous plaît"]


async def test_a_wrong_answer_is_noted_so_the_report_counts_it(tutor_factory):
    tutor = await tutor_factory()
    await tutor.until(turns_done(1))
    await tutor.connection.send_text("Où est la gare ?")
    await tutor.until(turns_done(2))
    [note] = tutor.tools("note_correction")
    assert (note["original"], note["category"]) == ("Où est la gare ?", "other")
    assert note["explanation"] == "Compara con «Je voudrais un café, s'il vous plaît»."  # in the student's Spanish


async def test_the_words_heard_least_clearly_get_pronunciation_notes_marked_as_estimates(tutor_factory):
    tutor = await tutor_factory(config={"unclear_below": 1.01})  # every word counts as unclear: two notes
    await tutor.until(turns_done(1))
    speech = speak("Je voudrais un café, s'il vous plaît", language="fr-FR", rate=16_000, variant="m2")
    await tutor.connection.send_audio(speech + silence(2000, 16_000))
    await tutor.until(turns_done(2))
    notes = tutor.tools("note_pronunciation")
    assert len(notes) == 2 and all(note["estimate"] is True and "an estimate" in note["heard_as"] for note in notes)
    assert {note["word"] for note in notes} <= {"Je", "voudrais", "un", "café", "s'il", "vous", "plaît"}
    assert notes[0]["tip"].startswith("Repite «")  # in the student's Spanish


async def test_a_silent_student_is_helped_with_the_first_word_then_the_whole_answer(tutor_factory):
    tutor = await tutor_factory()
    await tutor.until(turns_done(1))
    await tutor.connection.nudge("(a model's instruction, not read by this tutor)")
    await tutor.until(turns_done(2))
    await tutor.connection.nudge("(again)")
    await tutor.until(turns_done(3))
    you_can_say = PHRASES["fr"].you_can_say
    assert tutor.said()[1:] == [
        you_can_say.format(answer="Je …"),
        f"{you_can_say.format(answer="Je voudrais un café, s'il vous plaît")} (Say: je voudrais un café.)",
    ]
