"""A lesson's translations page: drafts by the text model for the teacher to accept; offline, left for the teacher."""

import json

import pytest
from django.urls import reverse

from lessons.forms.translations import TranslationsForm
from lessons.selectors.lessons import lesson_spec_of
from practice import lesson_drafts
from practice.models import UsageRecord
from practice.services import writing
from practice.views import lesson_drafts as drafts_page
from tests.fakes.text_model import ScriptedTextModel

DRAFT = {
    "es": {
        "title": "Café en Lyon",
        "student_scenario": "Pides el desayuno.",
        "objectives": ["Pedir una bebida", "Pedir la cuenta"],
        "words": {"un café": "un café", "l'addition": "la cuenta", "not a word of the lesson": "x"},
    },
    "de": {"title": "Café in Lyon", "objectives": ["only one: dropped"]},
}


@pytest.fixture
def scripted(monkeypatch):
    model = ScriptedTextModel(["```json\n" + json.dumps(DRAFT) + "\n```"])
    monkeypatch.setattr(writing, "text_model", lambda config, provider: model)
    monkeypatch.setattr(drafts_page, "text_model", lambda config, provider: model)
    return model


def test_offline_nothing_is_drafted_and_the_page_says_the_translations_are_the_teachers(client, teacher, lesson):
    client.force_login(teacher)
    url = reverse("teach:lesson_translations", args=[lesson.pk])
    assert "yours to write" in client.get(url).content.decode()
    response = client.post(url, {"action": "draft"})
    assert "No draft could be written" in response.content.decode()
    assert response.context["form"].initial["tr_es_title"] == ""


def test_drafts_fill_what_is_missing_and_nothing_is_saved_until_the_teacher_accepts(client, teacher, lesson, scripted):
    client.force_login(teacher)
    url = reverse("teach:lesson_translations", args=[lesson.pk])
    form = client.post(url, {"action": "draft"}).context["form"]
    system, prompt = scripted.prompts[0]
    assert "Translate into: French (fr), Spanish (es), German (de)" in prompt and "Answer with JSON" in system
    assert scripted.schemas[0]["required"] == ["fr", "es", "de"]  # asked for through structured output
    assert form.initial["tr_es_title"] == "Café en Lyon"
    assert form.initial["tr_es_objectives"] == "Pedir una bebida\nPedir la cuenta"
    assert form.initial["tr_de_objectives"] == ""  # not one for each objective: no draft
    assert form.initial["word_1_es"] == "la cuenta"
    lesson.refresh_from_db()
    assert lesson.translations == {}
    [usage] = UsageRecord.objects.all()  # the call is billed: recorded as the site's, with no session
    assert (usage.session, usage.purpose, usage.model) == (None, "lesson_draft", "scripted-text")

    accepted = {name: value for name, value in form.initial.items()} | {"tr_es_title": "Un café en Lyon"}
    response = client.post(url, accepted)
    assert response.url == reverse("teach:lesson_detail", args=[lesson.pk])
    lesson.refresh_from_db()
    assert lesson.translations["es"]["title"] == "Un café en Lyon"
    assert lesson.vocabulary.get(term="l'addition").translations == {"es": "la cuenta"}


def test_a_draft_never_replaces_what_the_teacher_wrote(teacher, lesson):
    lesson.translations = {"es": {"title": "Mi título"}}
    lesson.save()
    drafts = lesson_drafts._parse(DRAFT, lesson_spec_of(lesson), ["es"])
    form = TranslationsForm(lesson=lesson, drafts=drafts)
    assert form.initial["tr_es_title"] == "Mi título" and form.initial["tr_es_student_scenario"] == "Pides el desayuno."
