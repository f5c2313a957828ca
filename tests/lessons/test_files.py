import dataclasses
import json

import pytest

from lessons.files import FileProblem, LessonFileError, dump_lesson_file, excerpt, lesson_schema, parse_lesson_file
from lessons.spec import LessonSpec, TextTranslation, VocabularySpec
from tutor.providers.catalog import CATALOG

from ..conftest import lesson_spec

GOOD = """\
version: 1
lessons:
  - title: Café
    language: fr-FR
    level: A1
    scenario: Order a coffee.
    persona: {name: Camille}
    vocabulary: [{term: café}]
    dialogue:
      - tutor: Bonjour !
        expected: [Bonjour]
"""


def problems_in(text: str) -> list[FileProblem]:
    with pytest.raises(LessonFileError) as caught:
        parse_lesson_file(text)
    return caught.value.problems


def the_problem(text: str) -> FileProblem:
    [problem] = problems_in(text)
    return problem


def test_a_valid_yaml_file_gives_lesson_specs():
    [spec] = parse_lesson_file(GOOD)
    assert spec.title == "Café" and spec.persona_name == "Camille" and spec.dialogue[0].expected == ("Bonjour",)


def test_export_then_import_round_trips_in_both_formats():
    spec = lesson_spec(student_scenario="You order a coffee.")
    for fmt in ("yaml", "json"):
        assert parse_lesson_file(dump_lesson_file([spec], fmt=fmt)) == [spec]


def test_a_bad_level_names_the_field_and_its_line():
    problem = the_problem(GOOD.replace("level: A1", "level: Z9"))
    assert problem.field == "lessons[0].level"
    assert problem.line == 5
    assert str(problem) == '"Z9" is not one of: A1, A2, B1, B2, C1, C2. (lessons[0].level, line 5)'


def test_a_missing_field_is_named():
    problem = the_problem(GOOD.replace("    scenario: Order a coffee.\n", ""))
    assert problem.message == "The field scenario is missing."
    assert problem.field == "lessons[0]"


def test_an_unknown_field_is_refused_at_its_own_line():
    problem = the_problem(GOOD.replace("level: A1", "level: A1\n    colour: red"))
    assert (problem.message, problem.field, problem.line) == ("Unknown field: colour", "lessons[0].colour", 6)


def test_json_syntax_errors_give_the_line():
    data = json.dumps({"version": 1, "lessons": []}, indent=2).replace("[]", "[,]")
    problem = the_problem(data)
    assert problem.line == 3 and "Not valid JSON" in problem.message


def test_yaml_syntax_errors_give_the_line():
    problem = the_problem("version: 1\nlessons:\n  - title: [unclosed\n")
    assert "Not valid YAML" in problem.message and problem.line is not None


def test_an_expected_answer_list_may_not_be_empty():
    problem = the_problem(GOOD.replace("expected: [Bonjour]", "expected: []"))
    assert problem.field == "lessons[0].dialogue[0].expected"


def test_spec_from_dict_fills_persona_defaults():
    [spec] = parse_lesson_file(GOOD)
    assert isinstance(spec, LessonSpec) and spec.correction_style == "recast" and spec.pace == "natural"
    assert spec.student_scenario == ""  # files written before the student's scenario still import


def test_a_voice_of_another_provider_names_the_field_line_and_the_valid_voices():
    text = GOOD.replace("level: A1", "level: A1\n    provider: openai\n    voice: Puck")
    problem = the_problem(text)
    assert (problem.field, problem.line) == ("lessons[0].voice", 7)
    assert "“Puck” is not a voice of openai" in problem.message and "marin" in problem.message


def test_a_voice_without_a_provider_is_refused():
    problem = the_problem(GOOD.replace("level: A1", "level: A1\n    voice: Puck"))
    assert problem.field == "lessons[0].voice" and "needs a provider" in problem.message


def test_a_valid_voice_for_its_provider_is_kept():
    [spec] = parse_lesson_file(GOOD.replace("level: A1", "level: A1\n    provider: offline\n    voice: m3"))
    assert (spec.provider, spec.voice) == ("offline", "m3")


def test_the_schema_lists_exactly_the_voices_each_provider_accepts():
    rules = lesson_schema()["$defs"]["lesson"]["allOf"]
    listed = {
        rule["if"]["properties"]["provider"]["const"]: rule["then"]["properties"]["voice"].get("enum", [""])
        for rule in rules
    }
    assert listed == {"": [""], **{name: ["", *CATALOG.voices(name)] for name in CATALOG.provider_names}}


def test_every_problem_of_a_file_is_reported_at_once_each_at_its_own_line():
    text = (
        GOOD.replace("level: A1", "level: Z9\n    colour: red")
        .replace("    scenario: Order a coffee.\n", "")
        .replace("expected: [Bonjour]", "expected: []")
        .replace("[{term: café}]", "[{term: café}, {term: café}]")
    )
    problems = problems_in(text)
    assert [(p.field, p.line) for p in problems] == [
        ("lessons[0]", 3),  # scenario is missing: the lesson's own line
        ("lessons[0].level", 5),
        ("lessons[0].colour", 6),
        ("lessons[0].vocabulary[1].term", 8),
        ("lessons[0].dialogue[0].expected", 11),
    ]
    assert "Give at least one." in problems[-1].message


def test_a_problem_in_each_of_two_lessons_is_reported_for_each():
    second = GOOD.split("lessons:\n")[1].replace("Café", "Thé").replace("fr-FR", "french")
    problems = problems_in(GOOD.replace("max_minutes", "") + second.replace("level: A1", "level: A9"))
    assert [p.field for p in problems] == ["lessons[1].language", "lessons[1].level"]
    assert problems[0].message == '"french" is not a language code: write one such as fr, es-MX or ja-JP.'


def test_a_term_twice_in_a_lesson_names_the_second_one():
    problem = the_problem(GOOD.replace("[{term: café}]", "[{term: café}, {term: thé}, {term: café}]"))
    assert problem.field == "lessons[0].vocabulary[2].term" and "café" in problem.message


def test_an_excerpt_shows_the_lines_around_an_error():
    assert excerpt("a\nb\nc\nd\ne\nf", 2, around=1) == [(1, "a", False), (2, "b", True), (3, "c", False)]
    assert excerpt("a", None) == []


def test_a_lessons_model_survives_export_and_import(teacher):
    from lessons.selectors.lessons import lesson_spec_of
    from lessons.services.lessons import lesson_create

    lesson = lesson_create(
        spec=lesson_spec(provider="openai", voice="marin", model="gpt-realtime-mini"), author=teacher
    )
    [again] = parse_lesson_file(dump_lesson_file([lesson_spec_of(lesson)]))
    assert (again.provider, again.voice, again.model) == ("openai", "marin", "gpt-realtime-mini")


def test_a_lessons_patience_and_its_steps_objectives_survive_the_database_and_a_file(teacher):
    from lessons.selectors.lessons import lesson_spec_of
    from lessons.services.lessons import lesson_create

    first, second = lesson_spec().dialogue
    spec = lesson_spec(patience="brisk", dialogue=(dataclasses.replace(first, objective="Order a drink"), second))
    [again] = parse_lesson_file(dump_lesson_file([lesson_spec_of(lesson_create(spec=spec, author=teacher))]))
    assert (again.patience, [s.objective for s in again.dialogue]) == ("brisk", ["Order a drink", ""])
    assert again.brief().dialogue[0].objective == "Order a drink" and again.brief().patience == "brisk"


def test_a_step_may_only_name_one_of_the_lessons_objectives(teacher):
    from django.core.exceptions import ValidationError

    from lessons.services.lessons import lesson_create

    first, second = lesson_spec().dialogue
    spec = lesson_spec(dialogue=(dataclasses.replace(first, objective="Order a dragon"), second))
    with pytest.raises(ValidationError, match="«Order a dragon»"):
        lesson_create(spec=spec, author=teacher)


def test_an_unknown_patience_is_refused_with_its_field():
    with pytest.raises(LessonFileError, match="patience"):
        parse_lesson_file(GOOD.replace("    level: A1\n", "    level: A1\n    patience: sleepy\n"))


def test_a_lesson_spec_gives_the_live_engine_its_brief():
    brief = lesson_spec().brief()
    assert (brief.language, brief.persona.name, brief.dialogue[0].expected) == (
        "fr-FR", "Camille", ("Je voudrais un café, s'il vous plaît",))  # fmt: skip
    assert [v.term for v in brief.vocabulary] == ["un café", "l'addition"]


BOMB = """\
a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
lessons: [*g]
"""


def test_an_alias_bomb_is_refused_at_its_first_anchor_before_anything_expands():
    problem = the_problem(BOMB)
    assert "anchors (&name) are not allowed" in problem.message and problem.line == 1


def test_an_alias_is_refused_with_its_line():
    problem = the_problem(GOOD + "extra: *nothing\n")
    assert "aliases (*name) are not allowed" in problem.message


def test_a_file_over_the_size_limit_is_refused_with_a_clear_error():
    with pytest.raises(LessonFileError, match="larger than 1024 KiB"):
        parse_lesson_file("# " + "x" * (1024 * 1024) + "\n" + GOOD)


def test_nesting_too_deep_or_a_huge_number_is_a_clear_error_not_a_crash():
    for text in ("[" * 100_000 + "]" * 100_000, '{"lessons": ' + "[" * 100_000 + "]" * 100_000 + "}"):
        with pytest.raises(LessonFileError, match=r"too deeply|Not valid"):
            parse_lesson_file(text)
    with pytest.raises(LessonFileError, match="Not valid JSON"):
        parse_lesson_file('{"version": ' + "9" * 5000 + "}")


def test_translations_round_trip_through_a_file():
    spec = lesson_spec(
        text_language="en",
        translations={"es": TextTranslation(title="Café en Lyon", objectives=("Pedir", "Pagar"))},
        vocabulary=(VocabularySpec("un café", "a coffee", translations={"es": "un café", "de": "ein Kaffee"}),),
    )
    for fmt in ("yaml", "json"):
        assert parse_lesson_file(dump_lesson_file([spec], fmt=fmt)) == [spec]


def test_a_translation_under_something_not_a_language_is_named():
    text = GOOD.replace("    persona:", "    translations:\n      Spanish: {title: Café}\n    persona:")
    problem = the_problem(text)
    assert problem.field == "lessons[0].translations" and "is not a language code" in problem.message
