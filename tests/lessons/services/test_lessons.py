import dataclasses

import pytest
from django.core.exceptions import ValidationError

from lessons.files import LessonFileError
from lessons.models import Lesson, VocabularyItem
from lessons.selectors.lessons import lesson_spec_of
from lessons.services.lessons import (
    lesson_create,
    lesson_duplicate,
    lesson_file_import,
    lesson_set_published,
    lesson_translations_set,
    lesson_update,
    lessons_import,
)
from lessons.spec import TextTranslation, VocabularySpec
from tests.conftest import configure_tutor, lesson_spec

FILE = """\
version: 1
lessons:
  - title: Good
    language: fr-FR
    level: A1
    scenario: Order a coffee.
    persona: {name: Camille}
    vocabulary: [{term: café}]
    dialogue: []
  - title: Empty
    language: fr-FR
    level: A2
    scenario: Nothing to say.
    persona: {name: Luc}
    published: true
    vocabulary: []
    dialogue: []
"""


def test_lesson_create_stores_vocabulary_and_steps_in_order(teacher):
    lesson = lesson_create(spec=lesson_spec(), author=teacher)
    assert [v.term for v in lesson.vocabulary.all()] == ["un café", "l'addition"]
    assert [s.position for s in lesson.steps.all()] == [0, 1]


def test_lesson_update_replaces_content(lesson):
    lesson_update(lesson=lesson, spec=lesson_spec(title="New title", vocabulary=()))
    lesson.refresh_from_db()
    assert lesson.title == "New title" and not lesson.vocabulary.exists()


def test_import_is_all_or_nothing(teacher):
    good, bad = lesson_spec(title="Good"), lesson_spec(title="Bad", language="not a code")
    with pytest.raises(ValidationError):
        lessons_import(specs=[good, bad], author=teacher)
    assert not Lesson.objects.exists() and not VocabularyItem.objects.exists()


def test_a_voice_or_model_must_belong_to_the_lessons_provider(teacher):
    for changes, field in [
        ({"provider": "openai", "voice": "nova"}, "voice"),
        ({"provider": "gemini", "voice": "marin"}, "voice"),
        ({"provider": "", "voice": "Puck"}, "voice"),
        ({"provider": "gemini", "model": "gpt-realtime"}, "model"),
    ]:
        with pytest.raises(ValidationError) as caught:
            lesson_create(spec=lesson_spec(**changes), author=teacher)
        assert field in caught.value.message_dict
    lesson = lesson_create(
        spec=lesson_spec(provider="openai", voice="cedar", model="gpt-realtime-mini"), author=teacher
    )
    assert (lesson.voice, lesson.model) == ("cedar", "gpt-realtime-mini")


# ---- authoring rules -------------------------------------------------------------------------------


def test_a_voice_must_belong_to_the_lessons_provider(teacher):
    with pytest.raises(ValidationError) as caught:
        lesson_create(spec=lesson_spec(provider="openai", voice="Puck"), author=teacher)
    assert "Puck is not a voice of OpenAI Realtime" in caught.value.message_dict["voice"][0]
    assert lesson_create(spec=lesson_spec(provider="gemini", voice="Puck"), author=teacher).voice == "Puck"


def test_a_voice_needs_a_provider_because_the_site_default_may_change(teacher):
    with pytest.raises(ValidationError) as caught:
        lesson_create(spec=lesson_spec(provider="", voice="marin"), author=teacher)
    assert "Choose a provider" in caught.value.message_dict["voice"][0]
    assert not Lesson.objects.exists()


def test_an_empty_lesson_for_the_offline_tutor_cannot_be_published(teacher):
    empty = lesson_create(spec=lesson_spec(published=False, vocabulary=(), dialogue=()), author=teacher)
    with pytest.raises(ValidationError) as caught:
        lesson_set_published(lesson=empty, published=True)
    assert "offline tutor" in caught.value.message_dict["published"][0]
    empty.refresh_from_db()
    assert not empty.published


def test_vocabulary_alone_is_enough_for_the_offline_tutor(teacher):
    drill = lesson_create(spec=lesson_spec(published=False, dialogue=()), author=teacher)
    assert lesson_set_published(lesson=drill, published=True).published


def test_an_empty_lesson_may_be_published_when_a_live_provider_plays_it(teacher, settings):
    configure_tutor(settings, provider="", gemini={"api_key": "key"})
    empty = lesson_create(spec=lesson_spec(published=False, vocabulary=(), dialogue=()), author=teacher)
    assert lesson_set_published(lesson=empty, published=True).published


def test_a_lesson_naming_a_provider_without_a_key_falls_back_to_offline_and_needs_content(teacher):
    with pytest.raises(ValidationError):
        lesson_create(spec=lesson_spec(provider="gemini", vocabulary=(), dialogue=()), author=teacher)


def test_a_term_twice_in_one_lesson_is_refused_before_the_database_sees_it(teacher):
    twice = (VocabularySpec("un café"), VocabularySpec("un café"))
    with pytest.raises(ValidationError) as caught:
        lesson_create(spec=lesson_spec(vocabulary=twice), author=teacher)
    assert "un café" in caught.value.message_dict["vocabulary"][0]


def test_duplicating_makes_an_own_draft_with_the_same_content(lesson, other_teacher):
    copy = lesson_duplicate(lesson=lesson, author=other_teacher)
    assert copy.pk != lesson.pk and copy.author == other_teacher and not copy.published
    assert copy.title == "Copy of Café in Lyon"
    assert lesson_spec_of(copy) == dataclasses.replace(lesson_spec_of(lesson), title=copy.title, published=False)


def test_a_file_import_names_the_field_and_line_of_a_rule_and_imports_nothing(teacher):
    with pytest.raises(LessonFileError) as caught:
        lesson_file_import(text=FILE, author=teacher)
    [problem] = caught.value.problems
    assert problem.field == "lessons[1].published" and problem.line == 15
    assert problem.message.startswith("Empty: This lesson would run on the offline tutor")
    assert not Lesson.objects.exists()


def test_a_broken_rule_in_every_lesson_is_reported_for_every_lesson(teacher):
    both_empty = FILE.replace("vocabulary: [{term: café}]", "vocabulary: []\n    published: true")
    with pytest.raises(LessonFileError) as caught:
        lesson_file_import(text=both_empty, author=teacher)
    assert [(p.field, p.line) for p in caught.value.problems] == [
        ("lessons[0].published", 9), ("lessons[1].published", 16)]  # fmt: skip
    assert not Lesson.objects.exists()


def test_publish_on_import_applies_the_publishing_rule_to_every_lesson(teacher):
    good = FILE.split("  - title: Empty")[0]
    [lesson] = lesson_file_import(text=good, author=teacher, publish=True)
    assert lesson.published and lesson.author == teacher
    with pytest.raises(LessonFileError) as caught:
        lesson_file_import(text=good.replace("[{term: café}]", "[]"), author=teacher, publish=True)
    [problem] = caught.value.problems
    assert problem.field == "lessons[0].published" and problem.line is None


def test_translations_are_stored_with_the_lesson_and_its_words(teacher):
    spec = lesson_spec(
        translations={"de": TextTranslation(title="Café in Lyon (de)")},
        vocabulary=(VocabularySpec("l'addition", "the bill", translations={"de": "die Rechnung"}),),
    )
    lesson = lesson_create(spec=spec, author=teacher)
    assert lesson.translations == {"de": {"title": "Café in Lyon (de)"}}
    assert lesson.vocabulary.get().translations == {"de": "die Rechnung"}
    assert lesson_spec_of(lesson) == spec


def test_objectives_in_another_language_must_match_the_lessons_one_for_one(teacher):
    spec = lesson_spec(translations={"es": TextTranslation(objectives=("Solo uno",))})
    with pytest.raises(ValidationError, match="one for each"):
        lesson_create(spec=spec, author=teacher)


def test_a_translation_into_the_lessons_own_language_is_refused(teacher):
    with pytest.raises(ValidationError, match="own text is in"):
        lesson_create(spec=lesson_spec(translations={"en": TextTranslation(title="Again")}), author=teacher)


def test_setting_translations_keeps_the_rest_of_the_lesson(teacher, lesson):
    lesson_translations_set(
        lesson=lesson, translations={"es": TextTranslation(title="Café en Lyon")}, words={"un café": {"es": "un café"}}
    )
    lesson.refresh_from_db()
    assert lesson.translations == {"es": {"title": "Café en Lyon"}} and lesson.steps.count() == 2
    assert lesson.vocabulary.get(term="un café").translations == {"es": "un café"}
