"""Importing and exporting lesson files from the teacher's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 1024 * 1024


class LessonImportForm(forms.Form):
    file = forms.FileField(
        label=_("Lesson file"),
        required=False,
        help_text=_("YAML or JSON, as Export writes it; at most 1 MB."),
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
