"""Classes: creating and naming them, assigning lessons, and joining one (at sign-up or later)."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from ..models import Classroom, Lesson


class ClassroomForm(forms.Form):
    name = forms.CharField(label=_("Class name"), max_length=120)


class ClassroomBudgetForm(forms.Form):
    monthly_budget_usd = forms.DecimalField(
        label=_("Monthly budget (USD)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("Empty: no budget. Once this month's cost of the class's sessions reaches it, new sessions stop "
                    "using paid tutor services until next month."),
    )  # fmt: skip


def _due_field() -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Optional. Assigning a lesson again changes its due date."),
    )


class AssignmentForm(forms.Form):
    lesson = forms.ModelChoiceField(label=_("Lesson"), queryset=Lesson.objects.none(), empty_label=_("Choose a lesson"))
    due_at = _due_field()

    def __init__(self, *args, lessons, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lesson"].queryset = lessons


class AssignToClassForm(forms.Form):
    """From a lesson's page: which of the teacher's classes gets it."""

    classroom = forms.ModelChoiceField(
        label=_("Class"), queryset=Classroom.objects.none(), empty_label=_("Choose a class")
    )
    due_at = _due_field()

    def __init__(self, *args, classrooms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["classroom"].queryset = classrooms


class StudentSignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("E-mail address"), required=False, help_text=_("For resetting your password."))
    native_language = forms.ChoiceField(
        label=_("Your own language"),
        choices=[
            ("en", "English"),
            ("fr", "Français"),
            ("es", "Español"),
            ("de", "Deutsch"),
            ("ja", "日本語"),
            ("zh", "中文"),
            ("pt", "Português"),
            ("it", "Italiano"),
            ("ar", "العربية"),
        ],
        initial="en",
    )
    join_code = forms.CharField(
        label=_("Class join code"),
        required=False,
        max_length=16,
        help_text=_("Optional: the code your teacher gave you."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class JoinClassForm(forms.Form):
    join_code = forms.CharField(label=_("Class join code"), max_length=16)
