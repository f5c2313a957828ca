"""Writing lessons from the teacher's pages: the form, its formsets, preview, publish, duplicate, try it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lessons.models import Lesson
from lessons.services.lessons import lesson_create
from practice.models import TutorSession
from tests.conftest import lesson_spec


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def lesson_post(**overrides) -> dict:
    data = {
        "title": "At the bakery",
        "language": "fr-FR",
        "level": "A1",
        "max_minutes": "10",
        "scenario": "Buy bread in a Paris bakery.",
        "objectives": "Greet the baker\n\nAsk for a baguette\n",
        "persona_name": "Julien",
        "persona_temperament": "warm and patient",
        "correction_style": "recast",
        "pace": "slow",
        "provider": "",
        "voice": "",
        **management("vocabulary", 2),
        "vocabulary-0-term": "une baguette",
        "vocabulary-0-translation": "a baguette",
        "vocabulary-0-example": "",
        "vocabulary-1-term": "",
        **management("dialogue", 2),
        "dialogue-0-tutor": "Et avec ceci ?",
        "dialogue-0-expected": "C'est tout\nC'est tout, merci",
        "dialogue-0-hint": "Say: c'est tout.",
        "dialogue-0-ORDER": "2",
        "dialogue-1-tutor": "Bonjour ! Vous désirez ?",
        "dialogue-1-expected": "Une baguette, s'il vous plaît",
        "dialogue-1-ORDER": "1",
    }
    data.update(overrides)
    return data


def test_a_teacher_creates_a_draft_with_vocabulary_and_ordered_dialogue(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("teach:lesson_create"), lesson_post(student_scenario="You buy bread."))
    lesson = Lesson.objects.get()
    assert response.url == reverse("teach:lesson_detail", args=[lesson.pk])
    assert (lesson.author, lesson.published) == (teacher, False)
    assert lesson.objectives == ["Greet the baker", "Ask for a baguette"]
    assert (lesson.scenario, lesson.student_scenario) == ("Buy bread in a Paris bakery.", "You buy bread.")
    assert [v.term for v in lesson.vocabulary.all()] == ["une baguette"]
    assert [s.tutor_line for s in lesson.steps.all()] == ["Bonjour ! Vous désirez ?", "Et avec ceci ?"]
    assert lesson.steps.last().expected_answers == ["C'est tout", "C'est tout, merci"]


def test_a_new_lesson_offers_several_blank_rows_without_asterisks(client, teacher):
    client.force_login(teacher)
    body = client.get(reverse("teach:lesson_create")).content.decode()
    assert 'name="vocabulary-TOTAL_FORMS" value="5"' in body and 'name="dialogue-TOTAL_FORMS" value="3"' in body
    rows = body.split('data-rows="vocabulary"')[1].split("</fieldset>\n        </div>")[0]
    assert 'aria-hidden="true">*' not in rows
    assert 'for="id_title">Title <span aria-hidden="true">*</span>' in body  # the lesson's own fields keep theirs


def test_the_add_a_row_button_without_a_script_adds_a_row_and_saves_nothing(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("teach:lesson_create"), lesson_post(title="", add_row="vocabulary"))
    body = response.content.decode()
    assert response.status_code == 200 and not Lesson.objects.exists()
    assert 'name="vocabulary-TOTAL_FORMS" value="3"' in body and 'name="dialogue-TOTAL_FORMS" value="2"' in body
    assert 'value="une baguette"' in body and "Buy bread in a Paris bakery." in body
    assert 'name="vocabulary-2-term" maxlength="120" autofocus' in body
    assert "form-errors" not in body  # nothing was checked yet: the empty title is not an error


def test_the_form_refuses_a_voice_of_another_provider_on_the_voice_field(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("teach:lesson_create"), lesson_post(provider="openai", voice="Puck"))
    assert response.status_code == 200 and not Lesson.objects.exists()
    assert "Puck is not a voice of OpenAI Realtime" in str(response.context["form"].errors["voice"])


def test_the_form_refuses_a_voice_without_a_provider(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("teach:lesson_create"), lesson_post(voice="marin"))
    assert "Choose a provider" in str(response.context["form"].errors["voice"])


def test_the_form_offers_every_voice_grouped_by_provider_for_the_script_to_filter(client, teacher):
    client.force_login(teacher)
    body = client.get(reverse("teach:lesson_create")).content.decode()
    assert '<optgroup label="OpenAI Realtime">' in body and 'value="marin"' in body
    assert 'id="voices-data"' in body and '"openai": ["alloy"' in body
    assert "Site default (now: Offline tutor)" in body
    assert "Gemini Live (no key on this site: the offline tutor plays it)" in body


def test_validation_errors_are_shown_and_nothing_is_saved(client, teacher):
    client.force_login(teacher)
    data = lesson_post(language="French", title="", **{"dialogue-0-expected": "  \n"})
    response = client.post(reverse("teach:lesson_create"), data)
    body = response.content.decode()
    assert response.status_code == 200 and not Lesson.objects.exists()
    assert "Use a BCP-47 language code" in body and "Give at least one answer." in body
    assert "Some fields need your attention" in body


def test_a_term_twice_is_refused_by_the_vocabulary_formset(client, teacher):
    client.force_login(teacher)
    data = lesson_post(**{"vocabulary-1-term": "une baguette"})
    response = client.post(reverse("teach:lesson_create"), data)
    assert "une baguette appear twice" in response.content.decode() and not Lesson.objects.exists()


def test_editing_replaces_content_and_removed_rows_go(client, teacher, lesson):
    client.force_login(teacher)
    form = client.get(reverse("teach:lesson_edit", args=[lesson.pk])).context
    assert form["vocabulary"].initial[0]["term"] == "un café"
    data = lesson_post(title="Café, again", **management("vocabulary", 1, 1))
    data.update({"vocabulary-0-term": "un thé", "vocabulary-0-DELETE": ""})
    data.update({"dialogue-1-DELETE": "on"})
    client.post(reverse("teach:lesson_edit", args=[lesson.pk]), data)
    lesson.refresh_from_db()
    assert lesson.title == "Café, again" and lesson.published  # editing keeps the published state
    assert [v.term for v in lesson.vocabulary.all()] == ["un thé"]
    assert [s.tutor_line for s in lesson.steps.all()] == ["Et avec ceci ?"]


def test_a_published_offline_lesson_cannot_be_emptied(client, teacher, lesson):
    client.force_login(teacher)
    data = lesson_post(**management("vocabulary", 0), **management("dialogue", 0))
    response = client.post(reverse("teach:lesson_edit", args=[lesson.pk]), data)
    assert "would run on the offline tutor" in response.content.decode()
    assert lesson.steps.count() == 2


def test_the_preview_renders_the_tutors_instructions_from_the_unsaved_form(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("teach:lesson_preview"), lesson_post(), HTTP_X_REQUESTED_WITH="fetch")
    body = response.content.decode()
    assert "<html" not in body  # a fragment for the page's script
    assert "You are Julien, a language tutor who is warm and patient" in body
    assert "Role-play this scenario: Buy bread in a Paris bakery." in body
    assert "une baguette (a baguette)" in body and "Greet the baker; Ask for a baguette" in body
    assert "The offline tutor plays the 2 dialogue steps in order." in body


def test_the_preview_works_on_a_half_written_form_and_without_a_script(client, teacher):
    client.force_login(teacher)
    data = {"persona_name": "Ines", "level": "Z9", **management("vocabulary", 0), **management("dialogue", 0)}
    response = client.post(reverse("teach:lesson_preview"), data)
    body = response.content.decode()
    assert "<html" in body and "You are Ines" in body
    assert "nothing to play yet" in body


def test_the_preview_needs_a_post_with_the_csrf_token(teacher):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(teacher)
    assert strict.post(reverse("teach:lesson_preview"), lesson_post()).status_code == 403
    assert strict.get(reverse("teach:lesson_preview")).status_code == 405


def test_publishing_an_empty_offline_lesson_explains_why_not(client, teacher):
    empty = lesson_create(spec=lesson_spec(published=False, vocabulary=(), dialogue=()), author=teacher)
    client.force_login(teacher)
    response = client.post(reverse("teach:lesson_publish", args=[empty.pk]), {"published": "1"}, follow=True)
    assert "would run on the offline tutor" in response.content.decode()
    empty.refresh_from_db()
    assert not empty.published


def test_publish_then_unpublish(client, teacher):
    draft = lesson_create(spec=lesson_spec(published=False), author=teacher)
    client.force_login(teacher)
    client.post(reverse("teach:lesson_publish", args=[draft.pk]), {"published": "1"})
    draft.refresh_from_db()
    assert draft.published
    client.post(reverse("teach:lesson_publish", args=[draft.pk]), {"published": "0"})
    draft.refresh_from_db()
    assert not draft.published


def test_a_teacher_duplicates_a_colleagues_lesson_into_an_own_draft(client, other_teacher, lesson):
    client.force_login(other_teacher)
    response = client.post(reverse("teach:lesson_duplicate", args=[lesson.pk]))
    copy = Lesson.objects.exclude(pk=lesson.pk).get()
    assert response.url == reverse("teach:lesson_edit", args=[copy.pk])
    assert copy.author == other_teacher and not copy.published and copy.steps.count() == 2


def test_try_it_starts_a_session_as_the_teacher_even_on_a_draft(client, teacher):
    draft = lesson_create(spec=lesson_spec(published=False), author=teacher)
    client.force_login(teacher)
    page = client.get(reverse("teach:lesson_detail", args=[draft.pk])).content.decode()
    assert f'action="{reverse("session_start", args=[draft.pk])}"' in page
    response = client.post(reverse("session_start", args=[draft.pk]))
    session = TutorSession.objects.get()
    assert session.student == teacher and response.url == reverse("session_live", args=[session.pk])


def test_the_library_lists_own_lessons_and_colleagues_published_ones(client, teacher, other_teacher, lesson):
    lesson_create(spec=lesson_spec(title="Their draft", published=False), author=other_teacher)
    lesson_create(spec=lesson_spec(title="Their lesson"), author=other_teacher)
    lesson_create(spec=lesson_spec(title="My draft", published=False), author=teacher)
    client.force_login(teacher)
    context = client.get(reverse("teach:lesson_list")).context
    assert {lesson.title for lesson in context["mine"]} == {"Café in Lyon", "My draft"}
    assert [lesson.title for lesson in context["others"]] == ["Their lesson"]


def test_the_library_filters_by_language_and_level(client, teacher, lesson):
    lesson_create(spec=lesson_spec(title="Madrid", language="es-ES", level="A2"), author=teacher)
    client.force_login(teacher)
    assert [x.title for x in client.get(reverse("teach:lesson_list"), {"language": "es"}).context["mine"]] == ["Madrid"]
    assert [x.title for x in client.get(reverse("teach:lesson_list"), {"level": "A1"}).context["mine"]] == [
        "Café in Lyon"
    ]


def test_assigning_from_the_lesson_page_goes_to_one_of_the_teachers_classes(client, teacher, classroom, lesson):
    client.force_login(teacher)
    data = {"classroom": classroom.pk, "due_at": "2026-12-01T18:00"}
    client.post(reverse("teach:lesson_assign", args=[lesson.pk]), data)
    assert classroom.assignments.get().due_at.day == 1


def test_a_teacher_cannot_assign_to_a_colleagues_class(client, other_teacher, classroom, lesson):
    client.force_login(other_teacher)
    client.post(reverse("teach:lesson_assign", args=[lesson.pk]), {"classroom": classroom.pk})
    assert classroom.assignments.get().due_at is None  # the fixture's assignment, untouched


@pytest.mark.parametrize("name", ["lesson_edit", "lesson_publish"])
def test_a_teacher_may_not_change_a_colleagues_lesson(client, other_teacher, lesson, name):
    client.force_login(other_teacher)
    response = client.post(reverse(f"teach:{name}", args=[lesson.pk]), {"published": "0", **lesson_post()})
    assert response.status_code == 404
    lesson.refresh_from_db()
    assert lesson.published and lesson.title == "Café in Lyon"


def test_staff_may_edit_any_lesson(client, staff, lesson):
    client.force_login(staff)
    client.post(reverse("teach:lesson_edit", args=[lesson.pk]), lesson_post(title="Edited by staff"))
    lesson.refresh_from_db()
    assert lesson.title == "Edited by staff" and lesson.author.username == "teacher1"


def test_clearing_a_row_removes_it_like_the_remove_box(client, teacher, lesson):
    client.force_login(teacher)
    data = lesson_post(**management("vocabulary", 2, 2))
    data.update({"vocabulary-1-term": "", "vocabulary-1-translation": "", "vocabulary-1-example": ""})
    client.post(reverse("teach:lesson_edit", args=[lesson.pk]), data)
    assert [v.term for v in lesson.vocabulary.all()] == ["une baguette"]


def test_the_form_saves_the_lessons_own_language_and_its_translations(client, teacher):
    client.force_login(teacher)
    data = lesson_post(
        text_language="en",
        tr_es_title="En la panadería",
        tr_es_objectives="Saludar\nPedir una baguette",
        tr_en_title="ignored: the lesson's own language",
        **{"vocabulary-0-translation_es": "una baguette"},
    )
    client.post(reverse("teach:lesson_create"), data)
    lesson = Lesson.objects.get()
    assert lesson.text_language == "en"
    assert lesson.translations == {"es": {"title": "En la panadería", "objectives": ["Saludar", "Pedir una baguette"]}}
    assert lesson.vocabulary.get().translations == {"es": "una baguette"}
    form = client.get(reverse("teach:lesson_edit", args=[lesson.pk])).context["form"]
    assert form.initial["tr_es_title"] == "En la panadería"


def test_translated_objectives_must_be_one_a_line_for_each(client, teacher):
    client.force_login(teacher)
    response = client.post(reverse("teach:lesson_create"), lesson_post(tr_de_objectives="Nur eins"))
    assert not Lesson.objects.exists()
    assert "One line for each objective above" in str(response.context["form"].errors["tr_de_objectives"])


# ---- a lesson's own model, when it shuts down ------------------------------------------------------


def test_the_form_refuses_a_shut_down_model_and_names_its_replacement(client, teacher, aging_models):
    client.force_login(teacher)
    response = client.post(reverse("teach:lesson_create"), lesson_post(provider="openai", model="gpt-realtime-old"))
    assert response.status_code == 200 and not Lesson.objects.exists()
    offered = [value for value, _label in response.context["form"].fields["model"].choices[2][1]]
    assert "gpt-realtime-old" not in offered and "gpt-realtime-2.1" in offered
    # A file or an old form may still name it: the lesson's own validation says what replaces it.
    with pytest.raises(ValidationError, match=r"gpt-realtime-old was shut down on .*Choose gpt-realtime-2\.1"):
        lesson_create(spec=lesson_spec(provider="openai", model="gpt-realtime-old"), author=teacher)


def test_a_model_shutting_down_soon_is_offered_with_its_date_and_saving_it_warns(client, teacher, aging_models):
    client.force_login(teacher)
    body = client.get(reverse("teach:lesson_create")).content.decode()
    assert "gpt-realtime-soon (shuts down on" in body and "gpt-realtime-old" not in body
    response = client.post(
        reverse("teach:lesson_create"), lesson_post(provider="openai", model="gpt-realtime-soon"), follow=True
    )
    assert Lesson.objects.get().model == "gpt-realtime-soon"
    page = response.content.decode()
    assert "gpt-realtime-soon shuts down on" in page and "choose gpt-realtime-2.1, its replacement, before then" in page


def test_a_lesson_saved_before_its_model_shut_down_says_so_and_cannot_be_saved_unchanged(client, teacher, aging_models):
    lesson = lesson_create(spec=lesson_spec(title="Old one"), author=teacher)
    Lesson.objects.filter(pk=lesson.pk).update(provider="openai", model="gpt-realtime-old")
    client.force_login(teacher)
    page = client.get(reverse("teach:lesson_detail", args=[lesson.pk])).content.decode()
    assert "data-model-notice" in page and "the service no longer answers it" in page and "gpt-realtime-2.1" in page
    form = client.get(reverse("teach:lesson_edit", args=[lesson.pk])).context["form"]
    assert ("gpt-realtime-old", "gpt-realtime-old (shut down)") in form.fields["model"].choices[2][1]
    data = lesson_post(title="Old one", provider="openai", model="gpt-realtime-old")
    response = client.post(reverse("teach:lesson_edit", args=[lesson.pk]), data)
    assert "Choose gpt-realtime-2.1, its replacement." in str(response.context["form"].errors["model"])
