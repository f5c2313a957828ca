"""Sign-up and join-a-class forms."""

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class StudentSignUpForm(UserCreationForm):
    email = forms.EmailField(required=False, help_text=_("For resetting your password."))
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
