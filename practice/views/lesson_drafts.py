"""A lesson's translations on one page (/teach/lessons/<id>/translations/): what is saved, the text model's drafts
of what is missing when the teacher asks for them, and the teacher's accepting them. Only a teacher who may edit
the lesson. Here in practice, beside the text model's other writing (services/writing.py)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import teacher_required
from lessons.forms.translations import TranslationsForm
from lessons.selectors.lessons import lesson_spec_of, lessons_editable_by
from lessons.services.lessons import lesson_translations_set
from tutor.providers.factory import text_model

from ..lesson_drafts import drafting_provider, lesson_translation_drafts


@teacher_required
def lesson_translations(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(lessons_editable_by(user=request.user).prefetch_related("vocabulary"), pk=lesson_id)
    spec = lesson_spec_of(lesson)
    provider = drafting_provider(spec)
    drafted = None
    if request.method == "POST" and request.POST.get("action") == "draft":
        form = TranslationsForm(lesson=lesson)
        languages = [code for code, _name in form.languages]
        drafted = lesson_translation_drafts(spec, languages=languages, provider=provider)
        form = TranslationsForm(lesson=lesson, drafts=drafted.drafts)
        if drafted.written:
            messages.info(request, _("Drafted by the text model: read each one, change what you like, then save."))
        else:
            messages.warning(request, _("No draft could be written: the translations are left for you to write."))
    elif request.method == "POST":
        form = TranslationsForm(request.POST, lesson=lesson)
        if form.is_valid():
            try:
                lesson_translations_set(lesson=lesson, translations=form.translations(), words=form.word_translations())
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Translations saved."))
                return redirect("teach:lesson_detail", lesson_id=lesson.pk)
    else:
        form = TranslationsForm(lesson=lesson)
    return render(
        request,
        "teach/lessons/translations.html",
        {"lesson": lesson, "form": form, "can_draft": text_model(settings.TUTOR, provider) is not None},
    )
