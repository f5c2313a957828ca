"""Forms of the teacher's review and class progress pages, and of the deck, its review and the placement."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from lessons.models import BCP47, Classroom, Lesson, Level

from .models import Rating


class SessionFilterForm(forms.Form):
    """The review list's filters; every choice is limited to what the teacher may see."""

    classroom = forms.ModelChoiceField(
        label=_("Class"), queryset=Classroom.objects.none(), required=False, empty_label=_("All classes")
    )
    student = forms.ModelChoiceField(
        label=_("Student"), queryset=User.objects.none(), required=False, empty_label=_("All students")
    )
    lesson = forms.ModelChoiceField(
        label=_("Lesson"), queryset=Lesson.objects.none(), required=False, empty_label=_("All lessons")
    )
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


class RatingForm(forms.Form):
    """One review of one card on the review page; the page measures how long the answer took."""

    rating = forms.TypedChoiceField(coerce=int, choices=Rating.choices)
    duration_ms = forms.IntegerField(min_value=0, max_value=3_600_000, required=False)


class LanguageForm(forms.Form):
    """Which of the student's languages an action is for (a spoken review, an export)."""

    language = forms.CharField(max_length=16, validators=[BCP47])


class ReviewScopeForm(forms.Form):
    """What the review page reviews: a language of the deck, and only the cards one session made."""

    language = forms.CharField(max_length=16, validators=[BCP47], required=False)
    session = forms.IntegerField(min_value=1, required=False)


class AnswerForm(forms.Form):
    """A typed answer to the card on the review page."""

    answer = forms.CharField(max_length=500, error_messages={"required": _("Type your answer first.")})


class LevelForm(forms.Form):
    language = forms.CharField(max_length=16, validators=[BCP47], widget=forms.HiddenInput)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)


class PlacementForm(forms.Form):
    """One text field per task, labelled with its prompt in the target language."""

    def __init__(self, *args, tasks, language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for task in tasks:
            self.fields[task.key] = forms.CharField(
                label=task.prompt, required=False, max_length=200, widget=forms.TextInput(attrs={"lang": language})
            )
