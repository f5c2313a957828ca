"""Forms of the teacher's pages. They validate and shape input; the services do the writing."""

import copy
import datetime as dt

from django import forms
from django.conf import settings
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from tutor import provider_settings
from tutor.accounts.models import User
from tutor.live.voices import DEFAULT_VOICES, VOICES

from .models import Classroom, Lesson, Provider
from .spec import LessonSpec, StepSpec, VocabularySpec

MAX_OBJECTIVES = 20
MAX_UPLOAD_BYTES = 1024 * 1024


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def provider_choices() -> list[tuple[str, str]]:
    """The providers, each saying what this site would really use, so nobody is surprised at run time."""
    default = provider_settings.default_provider()
    choices = []
    for value, label in Provider.choices:
        if not value:
            label = _("Site default (now: %(provider)s)") % {"provider": Provider(default).label}
        elif not provider_settings.provider_available(value):
            label = _("%(provider)s (no key on this site: the offline tutor plays it)") % {"provider": label}
        choices.append((value, label))
    return choices


def model_choices() -> list:
    """Every provider's live models, grouped; the page's script keeps only the chosen provider's group."""
    groups: list = [("", _("The provider's default model"))]
    for provider, models in settings.TUTOR_LIVE_MODELS.items():
        if provider != "offline":
            groups.append((Provider(provider).label, [(model, model) for model in models]))
    return groups


def voice_choices() -> list:
    """Every voice, grouped by provider; the page's script keeps only the chosen provider's group."""
    groups: list = [("", _("The provider's default voice"))]
    for provider, voices in VOICES.items():
        default = DEFAULT_VOICES[provider]
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
            "persona_name",
            "persona_temperament",
            "correction_style",
            "pace",
            "provider",
            "voice",
            "model",
            "max_minutes",
        ]
        labels = {
            "persona_name": _("Tutor's name"),
            "persona_temperament": _("Temperament"),
            "max_minutes": _("Time limit (minutes)"),
        }
        widgets = {
            "scenario": forms.Textarea(attrs={"rows": 3}),
            "language": forms.TextInput(attrs={"list": "language-suggestions", "autocomplete": "off"}),
        }

    def __init__(self, *args, instance: Lesson | None = None, **kwargs) -> None:
        # A copy: validation writes onto the instance, and the page still shows the saved lesson.
        super().__init__(*args, instance=copy.copy(instance) if instance else None, **kwargs)
        if instance is not None:
            self.initial["objectives"] = "\n".join(instance.objectives)
        self.fields["provider"].choices = provider_choices()
        self.fields["voice"] = forms.ChoiceField(
            label=_("Voice"),
            choices=voice_choices(),
            required=False,
            help_text=_("Only the chosen provider's voices fit; with the site default, its default voice."),
        )
        self.fields["model"] = forms.ChoiceField(
            label=_("Live model"),
            choices=model_choices(),
            required=False,
            help_text=_("Only the chosen provider's models fit; blank uses the site's setting."),
        )

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
            persona_name=data["persona_name"],
            persona_temperament=data["persona_temperament"],
            correction_style=data["correction_style"],
            pace=data["pace"],
            objectives=data["objectives"],
            provider=data["provider"],
            voice=data["voice"],
            model=data["model"],
            max_minutes=data["max_minutes"],
            published=published,
            vocabulary=vocabulary,
            dialogue=dialogue,
        )

    def preview_spec(self, *, vocabulary: tuple, dialogue: tuple) -> LessonSpec:
        """Whatever is valid so far, with placeholders for the rest: the preview works on a half-written lesson."""
        data = {**self.cleaned_data} if hasattr(self, "cleaned_data") else {}
        return LessonSpec(
            title=data.get("title") or _("Untitled lesson"),
            language=data.get("language") or "en",
            level=data.get("level") or "A1",
            scenario=data.get("scenario") or _("(no scenario yet)"),
            persona_name=data.get("persona_name") or _("the tutor"),
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
    content_fields = ("term", "translation", "example")
    term = forms.CharField(label=_("Term"), max_length=120)
    translation = forms.CharField(label=_("Translation"), max_length=200, required=False)
    example = forms.CharField(label=_("Example sentence"), max_length=300, required=False)


class DialogueStepForm(_RowForm):
    content_fields = ("tutor", "expected", "hint")
    tutor = forms.CharField(label=_("The tutor says"), widget=forms.Textarea(attrs={"rows": 2}))
    expected = forms.CharField(
        label=_("Answers that count as right"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
        error_messages={"required": _("Give at least one answer.")},
    )
    hint = forms.CharField(label=_("Hint after two misses"), max_length=300, required=False)

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
            VocabularySpec(f.cleaned_data["term"], f.cleaned_data["translation"], f.cleaned_data["example"])
            for f in self.kept_forms()
            if f.cleaned_data.get("term")
        )


class DialogueFormSet(_SpecFormSet):
    def specs(self) -> tuple[StepSpec, ...]:
        return tuple(
            StepSpec(f.cleaned_data["tutor"], f.cleaned_data["expected"], f.cleaned_data["hint"])
            for f in self.kept_forms()
            if f.cleaned_data.get("tutor") and f.cleaned_data.get("expected")
        )


VocabularyFormSetFactory = formset_factory(
    VocabularyForm, formset=VocabularyFormSet, extra=1, can_delete=True, max_num=200, validate_max=True
)
DialogueFormSetFactory = formset_factory(
    DialogueStepForm, formset=DialogueFormSet, extra=1, can_delete=True, can_order=True, max_num=100, validate_max=True
)


def content_formsets(data=None, *, lesson: Lesson | None = None) -> tuple[VocabularyFormSet, DialogueFormSet]:
    """The vocabulary and dialogue formsets, filled from the lesson when editing."""
    vocabulary = [
        {"term": v.term, "translation": v.translation, "example": v.example}
        for v in (lesson.vocabulary.all() if lesson else ())
    ]
    steps = [
        {"tutor": s.tutor_line, "expected": "\n".join(s.expected_answers), "hint": s.hint, "ORDER": i + 1}
        for i, s in enumerate(lesson.steps.all() if lesson else ())
    ]
    return (
        VocabularyFormSetFactory(data, initial=vocabulary, prefix="vocabulary"),
        DialogueFormSetFactory(data, initial=steps, prefix="dialogue"),
    )


# ---- files -----------------------------------------------------------------------------------------


class LessonImportForm(forms.Form):
    file = forms.FileField(
        label=_("Lesson file"),
        required=False,
        help_text=_("YAML or JSON, as described in docs/lessons.md; at most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.json,application/json,text/yaml"}),
    )
    text = forms.CharField(
        label=_("Or paste the file here"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    publish = forms.BooleanField(label=_("Publish every lesson of the file"), required=False)

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("The file is over 1 MB."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        if not data.get("text", "").strip():
            raise forms.ValidationError(_("Choose a file, or paste one."))
        return data


class LessonExportForm(forms.Form):
    lesson = forms.TypedMultipleChoiceField(coerce=int, required=False)
    format = forms.ChoiceField(choices=[("yaml", "YAML"), ("json", "JSON")], initial="yaml", required=False)

    def __init__(self, *args, lesson_ids: list[int], **kwargs) -> None:
        """Only lessons the teacher may see can be chosen: any other id makes the form invalid."""
        super().__init__(*args, **kwargs)
        self.fields["lesson"].choices = [(pk, pk) for pk in lesson_ids]

    def clean_format(self) -> str:
        return self.cleaned_data["format"] or "yaml"


# ---- classes ---------------------------------------------------------------------------------------


class ClassroomForm(forms.Form):
    name = forms.CharField(label=_("Class name"), max_length=120)


def _due_field() -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Optional. Assigning a lesson again changes its due date."),
    )


class AssignmentForm(forms.Form):
    lesson = forms.ModelChoiceField(label=_("Lesson"), queryset=Lesson.objects.none())
    due_at = _due_field()

    def __init__(self, *args, lessons, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lesson"].queryset = lessons


class AssignToClassForm(forms.Form):
    """From a lesson's page: which of the teacher's classes gets it."""

    classroom = forms.ModelChoiceField(label=_("Class"), queryset=Classroom.objects.none())
    due_at = _due_field()

    def __init__(self, *args, classrooms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["classroom"].queryset = classrooms


# ---- review ----------------------------------------------------------------------------------------


class SessionFilterForm(forms.Form):
    """The review list's filters; every choice is limited to what the teacher may see."""

    classroom = forms.ModelChoiceField(label=_("Class"), queryset=Classroom.objects.none(), required=False)
    student = forms.ModelChoiceField(label=_("Student"), queryset=User.objects.none(), required=False)
    lesson = forms.ModelChoiceField(label=_("Lesson"), queryset=Lesson.objects.none(), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, classrooms, students, lessons, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["classroom"].queryset = classrooms
        self.fields["student"].queryset = students
        self.fields["student"].label_from_instance = lambda user: user.display_name
        self.fields["lesson"].queryset = lessons

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {name: data.get(name) for name in self.fields}


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment for the student"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The student sees it with this session."),
    )


class ProgressPeriodForm(forms.Form):
    PERIODS = [("7", _("Last 7 days")), ("30", _("Last 30 days")), ("90", _("Last 90 days")), ("all", _("All time"))]
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False, initial="30")

    def since(self, now: dt.datetime) -> dt.datetime | None:
        period = (self.cleaned_data.get("period") if self.is_valid() else "") or "30"
        return None if period == "all" else now - dt.timedelta(days=int(period))
