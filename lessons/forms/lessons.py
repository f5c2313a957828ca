"""The lesson form, its vocabulary and dialogue rows, and the provider, model and voice pickers."""

import copy

from django import forms
from django.conf import settings
from django.forms import formset_factory
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from ..lifecycle import model_label, retiring_notice
from ..models import Lesson, Level, Provider
from ..spec import LessonSpec, StepSpec, TextTranslation, VocabularySpec

MAX_OBJECTIVES = 20


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def site_languages() -> list[tuple[str, str]]:
    """The languages the site is read in, named in the page's: a lesson's own text is in one, and may be
    translated into the others."""
    return [(code, get_language_info(code)["name_translated"]) for code, _name in settings.LANGUAGES]


TRANSLATED_PARTS = ("title", "student_scenario", "scenario", "objectives")


def translation_field(language: str, part: str) -> str:
    """The form field of one part of the lesson's text in one language: "tr_es_title"."""
    return f"tr_{language}_{part}"


def provider_choices() -> list[tuple[str, str]]:
    """The providers, each saying what this site would really use, so nobody is surprised at run time."""
    default = settings.TUTOR.default_provider()
    choices = []
    for value, label in Provider.choices:
        if not value:
            label = _("Site default (now: %(provider)s)") % {"provider": Provider(default).label}
        elif not settings.TUTOR.provider_available(value):
            label = _("%(provider)s (no key on this site: the offline tutor plays it)") % {"provider": label}
        choices.append((value, label))
    return choices


def offered_models(provider: str, current: str = "") -> tuple[str, ...]:
    """The provider's live models a lesson may pick, and the lesson's own even if shut down (so the form shows it,
    and saving it says what replaces it, instead of quietly choosing the default)."""
    catalog = settings.TUTOR.catalog
    offered = catalog.offered_live_models(provider)
    return (*offered, current) if current in catalog.live_models(provider) and current not in offered else offered


def model_choices(current: str = "") -> list:
    """Every provider's live models, grouped, each saying when it shuts down if it does soon; the page's script
    keeps only the chosen provider's group."""
    groups: list = [("", _("The provider's default model"))]
    for provider in settings.TUTOR.catalog.provider_names:
        if provider != "offline":
            models = offered_models(provider, current)
            groups.append((Provider(provider).label, [(model, model_label(model)) for model in models]))
    return groups


def voice_choices() -> list:
    """Every voice, grouped by provider; the page's script keeps only the chosen provider's group."""
    groups: list = [("", _("The provider's default voice"))]
    for provider in settings.TUTOR.catalog.provider_names:
        voices, default = settings.TUTOR.catalog.voices(provider), settings.TUTOR.default_voice(provider)
        groups.append((Provider(provider).label, [(v, f"{v} ({_('default')})" if v == default else v) for v in voices]))
    return groups


class LessonForm(forms.ModelForm):
    """A lesson's own fields. Validation includes the model's (a voice must belong to the provider)."""

    objectives = forms.CharField(
        label=_("Objectives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: what the student should manage by the end."),
    )

    class Meta:
        model = Lesson
        fields = [
            "title",
            "language",
            "level",
            "scenario",
            "student_scenario",
            "text_language",
            "persona_name",
            "persona_temperament",
            "correction_style",
            "pace",
            "provider",
            "voice",
            "model",
            "max_minutes",
            "patience",
        ]
        labels = {
            "title": _("Title"),
            "language": _("Language"),
            "level": _("Level"),
            "correction_style": _("Correction style"),
            "pace": _("Pace"),
            "persona_name": _("Tutor's name"),
            "persona_temperament": _("Temperament"),
            "provider": _("Tutor service"),
            "max_minutes": _("Time limit (minutes)"),
            "patience": _("Patience with pauses"),
            "scenario": _("Scenario, for the tutor"),
            "student_scenario": _("Scenario, for the student"),
            "text_language": _("Written in"),
        }
        help_texts = {
            "patience": _(
                "How long the tutor waits when the student pauses to find a word; by default it follows the level."
            ),
            "scenario": _("The situation the tutor plays, and how: the tutor reads it, the student never does."),
            "student_scenario": _(
                "What the student reads before starting, in their own words: “You sit down at a café…”. "
                "Left empty, the student reads the tutor's name and the objectives."
            ),
            "text_language": _(
                "The language of the title, the scenarios, the objectives and the words' translations. Students who "
                "read the site in another language see them in it where you translated them below, else in this one."
            ),
        }
        widgets = {
            "scenario": forms.Textarea(attrs={"rows": 3}),
            "student_scenario": forms.Textarea(attrs={"rows": 3}),
            "language": forms.TextInput(attrs={"list": "language-suggestions", "autocomplete": "off"}),
        }

    def __init__(self, *args, instance: Lesson | None = None, initial: dict | None = None, **kwargs) -> None:
        # A copy: validation writes onto the instance, and the page still shows the saved lesson.
        super().__init__(*args, instance=copy.copy(instance) if instance else None, initial=initial, **kwargs)
        if instance is not None and not (initial and "objectives" in initial):
            self.initial["objectives"] = "\n".join(instance.objectives)
        self.fields["level"].choices = [("", _("Choose a level")), *Level.choices]
        languages = site_languages()
        own = self.initial.get("text_language") or (instance.text_language if instance else "")
        if own and own not in dict(languages):
            languages.append((own, own))
        self.fields["text_language"] = forms.ChoiceField(
            label=_("Written in"), choices=languages, help_text=self.fields["text_language"].help_text, required=False
        )
        if instance is None and not self.initial.get("text_language"):
            self.initial["text_language"] = (translation.get_language() or "en").split("-")[0]
        self._own_language = instance.text_language if instance else self.initial["text_language"]
        self._add_translation_fields(instance)
        self.fields["provider"].choices = provider_choices()
        self.fields["voice"] = forms.ChoiceField(
            label=_("Voice"),
            choices=voice_choices(),
            required=False,
            help_text=_("Only the chosen provider's voices fit; with the site default, its default voice."),
        )
        current = instance.model if instance is not None else ""
        self.fields["model"] = forms.ChoiceField(
            label=_("Live model"),
            choices=model_choices(current),
            required=False,
            help_text=" ".join(
                [str(_("Only the chosen provider's models fit; blank uses the site's setting.")),
                 *([notice] if (notice := retiring_notice(current)) else [])]
            ),
        )  # fmt: skip

    def _add_translation_fields(self, instance: Lesson | None) -> None:
        """Per site language: the title, the student's scenario, the tutor's and the objectives (one a line)."""
        saved = (instance.translations or {}) if instance is not None else {}
        for language, _name in site_languages():
            text = saved.get(language, {})
            self.fields[translation_field(language, "title")] = forms.CharField(
                label=_("Title"), max_length=200, required=False
            )
            self.fields[translation_field(language, "student_scenario")] = forms.CharField(
                label=_("Scenario, for the student"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[translation_field(language, "scenario")] = forms.CharField(
                label=_("Scenario, for the tutor"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[translation_field(language, "objectives")] = forms.CharField(
                label=_("Objectives"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One per line, in the order of the objectives above."),
            )  # fmt: skip
            for part in TRANSLATED_PARTS:
                name = translation_field(language, part)
                if name in self.initial:
                    continue
                value = text.get(part, "")
                self.initial[name] = "\n".join(value) if part == "objectives" else value

    def translation_groups(self) -> list[tuple[str, str, list]]:
        """(code, name, bound fields) of each site language, for the template."""
        return [
            (code, name, [self[translation_field(code, part)] for part in TRANSLATED_PARTS])
            for code, name in site_languages()
        ]

    def clean(self) -> dict:
        data = super().clean()
        for language, _name in site_languages():
            name = translation_field(language, "objectives")
            lines = _lines(data.get(name) or "")
            if lines and len(lines) != len(data.get("objectives") or ()):
                self.add_error(name, _("One line for each objective above, in the same order."))
        return data

    def translations(self) -> dict[str, TextTranslation]:
        data = self.cleaned_data
        own = data.get("text_language", "")
        found = {}
        for language, _name in site_languages():
            if language == own:
                continue  # the lesson's own language needs no translation
            text = TextTranslation(
                title=(data.get(translation_field(language, "title")) or "").strip(),
                scenario=(data.get(translation_field(language, "scenario")) or "").strip(),
                student_scenario=(data.get(translation_field(language, "student_scenario")) or "").strip(),
                objectives=_lines(data.get(translation_field(language, "objectives")) or ""),
            )
            if not text.empty:
                found[language] = text
        return found

    def clean_text_language(self) -> str:
        """Left out (an older form, a script): the lesson's own language stays what it was."""
        return self.cleaned_data["text_language"] or self._own_language

    def clean_objectives(self) -> tuple[str, ...]:
        objectives = _lines(self.cleaned_data["objectives"])
        if len(objectives) > MAX_OBJECTIVES:
            raise forms.ValidationError(_("At most %(count)d objectives.") % {"count": MAX_OBJECTIVES})
        return objectives

    def to_spec(self, *, vocabulary: tuple, dialogue: tuple, published: bool) -> LessonSpec:
        data = self.cleaned_data
        return LessonSpec(
            title=data["title"],
            language=data["language"],
            level=data["level"],
            scenario=data["scenario"],
            student_scenario=data["student_scenario"],
            persona_name=data["persona_name"],
            persona_temperament=data["persona_temperament"],
            correction_style=data["correction_style"],
            pace=data["pace"],
            objectives=data["objectives"],
            text_language=data["text_language"],
            translations=self.translations(),
            provider=data["provider"],
            voice=data["voice"],
            model=data["model"],
            max_minutes=data["max_minutes"],
            patience=data["patience"],
            published=published,
            vocabulary=vocabulary,
            dialogue=dialogue,
        )

    def preview_spec(self, *, vocabulary: tuple, dialogue: tuple) -> LessonSpec:
        """Whatever is valid so far, with placeholders for the rest: the preview works on a half-written lesson.
        The placeholders are English, like the instructions they end up in."""
        data = {**self.cleaned_data} if hasattr(self, "cleaned_data") else {}
        return LessonSpec(
            title=data.get("title") or "Untitled lesson",
            language=data.get("language") or "en",
            level=data.get("level") or "A1",
            scenario=data.get("scenario") or "(no scenario yet)",
            persona_name=data.get("persona_name") or "the tutor",
            persona_temperament=data.get("persona_temperament") or "warm and patient",
            correction_style=data.get("correction_style") or "recast",
            pace=data.get("pace") or "natural",
            objectives=data.get("objectives") or (),
            vocabulary=vocabulary,
            dialogue=dialogue,
        )


class _RowForm(forms.Form):
    """A row of vocabulary or dialogue. A blank row is no row at all, so clearing a row removes it."""

    content_fields: tuple[str, ...] = ()

    def has_changed(self) -> bool:
        return any(str(self.data.get(self.add_prefix(name), "")).strip() for name in self.content_fields)


class VocabularyForm(_RowForm):
    """A word, its translation in the lesson's own language and, for readers of the others, in each of them
    (`translation_<code>`)."""

    content_fields = ("term", "translation", "example", *(f"translation_{code}" for code, _name in settings.LANGUAGES))
    term = forms.CharField(label=_("Term"), max_length=120)
    translation = forms.CharField(label=_("Translation"), max_length=200, required=False)
    example = forms.CharField(label=_("Example sentence"), max_length=300, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code, name in site_languages():
            self.fields[f"translation_{code}"] = forms.CharField(label=name, max_length=200, required=False)

    def translation_fields(self) -> list:
        return [self[f"translation_{code}"] for code, _name in site_languages()]

    def translations(self) -> dict[str, str]:
        return {
            code: text
            for code, _name in site_languages()
            if (text := (self.cleaned_data.get(f"translation_{code}") or "").strip())
        }


class DialogueStepForm(_RowForm):
    content_fields = ("tutor", "expected", "hint", "objective")
    tutor = forms.CharField(label=_("The tutor says"), widget=forms.Textarea(attrs={"rows": 2}))
    expected = forms.CharField(
        label=_("Answers that count as right"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
        error_messages={"required": _("Give at least one answer.")},
    )
    hint = forms.CharField(label=_("Hint after two misses"), max_length=300, required=False)
    objective = forms.CharField(
        label=_("Objective it achieves"),
        max_length=300,
        required=False,
        help_text=_("One of the objectives above, as written: met when the step is answered without the hint."),
    )

    def clean_expected(self) -> tuple[str, ...]:
        return _lines(self.cleaned_data["expected"])


class _SpecFormSet(forms.BaseFormSet):
    """Rows in the order the teacher gave them, skipping blank and deleted ones and, for the preview,
    rows that do not validate yet."""

    def _construct_form(self, i: int, **kwargs) -> forms.Form:
        return super()._construct_form(i, empty_permitted=True, **kwargs)

    def kept_forms(self) -> list[forms.Form]:
        self.is_valid()  # cleans every form, so each valid one has its cleaned_data
        kept = [
            (index, form)
            for index, form in enumerate(self.forms)
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        if self.can_order:
            kept.sort(
                key=lambda pair: (
                    pair[1].cleaned_data.get("ORDER") is None,
                    pair[1].cleaned_data.get("ORDER") or 0,
                    pair[0],
                )
            )
        return [form for _index, form in kept]


class VocabularyFormSet(_SpecFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        terms = [f.cleaned_data["term"] for f in self.kept_forms()]
        repeated = sorted({term for term in terms if terms.count(term) > 1})
        if repeated:
            raise forms.ValidationError(
                _("Each term once, please: %(terms)s appear twice.") % {"terms": ", ".join(repeated)}
            )

    def specs(self) -> tuple[VocabularySpec, ...]:
        return tuple(
            VocabularySpec(
                f.cleaned_data["term"], f.cleaned_data["translation"], f.cleaned_data["example"], f.translations()
            )
            for f in self.kept_forms()
            if f.cleaned_data.get("term")
        )


class DialogueFormSet(_SpecFormSet):
    def specs(self) -> tuple[StepSpec, ...]:
        return tuple(
            StepSpec(
                f.cleaned_data["tutor"], f.cleaned_data["expected"], f.cleaned_data["hint"], f.cleaned_data["objective"]
            )
            for f in self.kept_forms()
            if f.cleaned_data.get("tutor") and f.cleaned_data.get("expected")
        )


# Blank rows below the lesson's own: a new lesson gets several, so it can be written without the page's
# script (which adds rows in place); the "Add a word" and "Add a step" buttons add more either way.
NEW_LESSON_ROWS = {"vocabulary": 5, "dialogue": 3}
MORE_ROWS = {"vocabulary": 1, "dialogue": 1}
WORD_TRANSLATIONS = tuple(f"translation_{code}" for code, _name in settings.LANGUAGES)
ROW_FIELDS = {
    "vocabulary": ("term", "translation", "example", *WORD_TRANSLATIONS, "DELETE"),
    "dialogue": ("tutor", "expected", "hint", "ORDER", "DELETE"),
}


def _factory(prefix: str, extra: int):
    if prefix == "vocabulary":
        return formset_factory(
            VocabularyForm, formset=VocabularyFormSet, extra=extra, can_delete=True, max_num=200, validate_max=True
        )
    return formset_factory(
        DialogueStepForm, formset=DialogueFormSet, extra=extra, can_delete=True, can_order=True, max_num=100,
        validate_max=True,
    )  # fmt: skip


def content_formsets(data=None, *, lesson: Lesson | None = None) -> tuple[VocabularyFormSet, DialogueFormSet]:
    """The vocabulary and dialogue formsets, filled from the lesson when editing."""
    vocabulary = [
        {
            "term": v.term,
            "translation": v.translation,
            "example": v.example,
            **{f"translation_{code}": text for code, text in (v.translations or {}).items()},
        }
        for v in (lesson.vocabulary.all() if lesson else ())
    ]
    steps = [
        {
            "tutor": s.tutor_line,
            "expected": "\n".join(s.expected_answers),
            "hint": s.hint,
            "objective": s.objective,
            "ORDER": i + 1,
        }
        for i, s in enumerate(lesson.steps.all() if lesson else ())
    ]
    rows = MORE_ROWS if lesson else NEW_LESSON_ROWS
    return (
        _factory("vocabulary", rows["vocabulary"])(data, initial=vocabulary, prefix="vocabulary"),
        _factory("dialogue", rows["dialogue"])(data, initial=steps, prefix="dialogue"),
    )


def forms_with_another_row(
    data, *, lesson: Lesson | None, row: str
) -> tuple[LessonForm, VocabularyFormSet, DialogueFormSet]:
    """The form as the teacher left it, not yet checked, with one more blank row of `row` ("vocabulary" or
    "dialogue"): what the add-a-row buttons do when the page runs no script. Nothing is saved."""
    fields = data.dict()
    formsets = []
    for prefix, names in ROW_FIELDS.items():
        count = _row_count(data, prefix)
        rows = [{name: fields.get(f"{prefix}-{i}-{name}", "") for name in names} for i in range(count)]
        for values in rows:
            values["DELETE"] = bool(values["DELETE"])
        formset = _factory(prefix, 1 if prefix == row else 0)(initial=rows, prefix=prefix)
        if prefix == row:  # the teacher asked for it: the cursor goes there
            first = formset.forms[-1]
            first.fields[next(iter(first.fields))].widget.attrs["autofocus"] = True
        formsets.append(formset)
    return LessonForm(initial=fields, instance=lesson), *formsets


def _row_count(data, prefix: str) -> int:
    try:
        return max(0, min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), 200))
    except ValueError:
        return 0
