"""The translations of a saved lesson on one page: its title, scenarios and objectives in each site language but its
own, and each word's translation in them; filled from what is saved, and from drafts a text model wrote for the
teacher to read, change and accept."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Lesson
from ..spec import TextTranslation
from .lessons import TRANSLATED_PARTS, site_languages, translation_field


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class TranslationsForm(forms.Form):
    """`drafts`: {language: {"title", "scenario", "student_scenario", "objectives": [...], "words": {term: text}}};
    a draft fills only what the lesson does not have yet."""

    def __init__(self, data=None, *, lesson: Lesson, drafts: dict | None = None) -> None:
        super().__init__(data)
        self.lesson = lesson
        self.words = list(lesson.vocabulary.all())
        own = lesson.text_language.split("-")[0]
        self.languages = [(code, name) for code, name in site_languages() if code != own]
        drafts = drafts or {}
        for code, _name in self.languages:
            saved, drafted = (lesson.translations or {}).get(code, {}), drafts.get(code, {})
            for part in TRANSLATED_PARTS:
                name = translation_field(code, part)
                widget = forms.TextInput() if part == "title" else forms.Textarea(attrs={"rows": 2})
                self.fields[name] = forms.CharField(
                    label=_PART_LABELS[part], required=False, widget=widget, max_length=200 if part == "title" else None
                )
                value = saved.get(part) or drafted.get(part) or ""
                self.initial[name] = "\n".join(value) if isinstance(value, list) else value
            for index, word in enumerate(self.words):
                name = f"word_{index}_{code}"
                self.fields[name] = forms.CharField(label=word.term, required=False, max_length=200)
                self.initial[name] = (word.translations or {}).get(code) or drafted.get("words", {}).get(word.term, "")

    def groups(self) -> list[tuple[str, str, list, list]]:
        """(code, name, the lesson's parts, the words) of each language, for the template."""
        return [
            (
                code,
                name,
                [self[translation_field(code, part)] for part in TRANSLATED_PARTS],
                [(word, self[f"word_{index}_{code}"]) for index, word in enumerate(self.words)],
            )
            for code, name in self.languages
        ]

    def clean(self) -> dict:
        data = super().clean()
        count = len(self.lesson.objectives or [])
        for code, _name in self.languages:
            name = translation_field(code, "objectives")
            lines = _lines(data.get(name) or "")
            if lines and len(lines) != count:
                self.add_error(name, _("One line for each objective, in the same order."))
        return data

    def translations(self) -> dict[str, TextTranslation]:
        data, found = self.cleaned_data, {}
        for code, _name in self.languages:
            text = TextTranslation(
                title=(data.get(translation_field(code, "title")) or "").strip(),
                scenario=(data.get(translation_field(code, "scenario")) or "").strip(),
                student_scenario=(data.get(translation_field(code, "student_scenario")) or "").strip(),
                objectives=_lines(data.get(translation_field(code, "objectives")) or ""),
            )
            if not text.empty:
                found[code] = text
        return found

    def word_translations(self) -> dict[str, dict[str, str]]:
        """{term: {language: translation}}"""
        return {
            word.term: {
                code: text
                for code, _name in self.languages
                if (text := (self.cleaned_data.get(f"word_{index}_{code}") or "").strip())
            }
            for index, word in enumerate(self.words)
        }


_PART_LABELS = {
    "title": _("Title"),
    "student_scenario": _("Scenario, for the student"),
    "scenario": _("Scenario, for the tutor"),
    "objectives": _("Objectives, one a line"),
}
