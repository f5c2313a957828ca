"""The lesson catalog's filter: a language and a level, both optional, checked against what exists."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Level


class CatalogFilterForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("Any level")), *Level.choices])

    def __init__(self, *args, languages: list[tuple[str, str]], **kwargs) -> None:
        """`languages`: (code, name) pairs of the languages the catalog offers."""
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Any language")), *languages]

    def values(self) -> tuple[str, str]:
        """(language, level) to filter by; an unknown value filters by nothing rather than failing."""
        if not self.is_bound or not self.is_valid():
            return "", ""
        return self.cleaned_data["language"], self.cleaned_data["level"]
