"""Writing lessons: the library, create and edit with their vocabulary and dialogue, the instruction
preview, duplicate, publish and unpublish, and assigning a lesson to a class from its page."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import teacher_required

from ..forms.classrooms import AssignToClassForm
from ..forms.lessons import ROW_FIELDS, LessonForm, content_formsets, forms_with_another_row, offered_models
from ..languages import LANGUAGE_SUGGESTIONS
from ..lifecycle import model_label, retiring_notice, shut_down_error
from ..models import Lesson, Level, Provider
from ..preview import InstructionPreview, instruction_preview
from ..selectors.classrooms import classrooms_managed_by
from ..selectors.lessons import (
    catalog_languages,
    lesson_spec_of,
    lesson_with_content,
    lessons_editable_by,
    lessons_for_teacher,
    lessons_visible_to,
)
from ..services import classrooms as class_services
from ..services import lessons as lesson_services


@teacher_required
def lesson_list(request: HttpRequest) -> HttpResponse:
    language, level = request.GET.get("language", ""), request.GET.get("level", "")
    lessons = list(lessons_for_teacher(user=request.user, language=language, level=level))
    return render(
        request,
        "teach/lessons/list.html",
        {
            "mine": [lesson for lesson in lessons if lesson.author_id == request.user.pk],
            "others": [lesson for lesson in lessons if lesson.author_id != request.user.pk],
            "languages": catalog_languages(user=request.user),
            "levels": Level.values,
            "language": language,
            "level": level,
        },
    )


@teacher_required
def lesson_detail(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(lessons_visible_to(user=request.user), pk=lesson_id)
    classrooms = classrooms_managed_by(user=request.user)
    return render(
        request,
        "teach/lessons/detail.html",
        {
            "lesson": lesson_with_content(lesson_id=lesson.pk),
            "can_edit": lessons_editable_by(user=request.user).filter(pk=lesson.pk).exists(),
            "assignments": lesson.assignments.filter(classroom__in=classrooms).select_related("classroom"),
            "assign_form": AssignToClassForm(classrooms=classrooms),
            "preview": instruction_preview(lesson_spec_of(lesson)),
            "runs_on": Provider(settings.TUTOR.provider_for_lesson(lesson.provider)),
            "model_notice": shut_down_error(lesson.model) or retiring_notice(lesson.model),
        },
    )


@teacher_required
def lesson_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, lesson=None)


@teacher_required
def lesson_edit(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(lessons_editable_by(user=request.user), pk=lesson_id)
    return _edit(request, lesson=lesson)


def _edit(request: HttpRequest, *, lesson: Lesson | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    if data is not None and data.get("add_row") in ROW_FIELDS:
        form, vocabulary, dialogue = forms_with_another_row(data, lesson=lesson, row=data["add_row"])
        return _form_page(request, lesson, form, vocabulary, dialogue, preview=None)
    form = LessonForm(data, instance=lesson)
    vocabulary, dialogue = content_formsets(data, lesson=lesson)
    if data is not None and all([form.is_valid(), vocabulary.is_valid(), dialogue.is_valid()]):
        spec = form.to_spec(
            vocabulary=vocabulary.specs(), dialogue=dialogue.specs(), published=bool(lesson and lesson.published)
        )
        try:
            if lesson is None:
                lesson = lesson_services.lesson_create(spec=spec, author=request.user)
            else:
                lesson = lesson_services.lesson_update(lesson=lesson, spec=spec)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved “%(title)s”.") % {"title": lesson.title})
            if notice := retiring_notice(lesson.model):
                messages.warning(request, notice)
            return redirect("teach:lesson_detail", lesson_id=lesson.pk)
    preview = _preview_of(form, vocabulary, dialogue) if data is not None else None
    return _form_page(request, lesson, form, vocabulary, dialogue, preview=preview)


def _form_page(request, lesson, form, vocabulary, dialogue, *, preview) -> HttpResponse:
    return render(
        request,
        "teach/lessons/form.html",
        {
            "lesson": lesson,
            "form": form,
            "vocabulary": vocabulary,
            "dialogue": dialogue,
            "voices": _provider_choices(lesson.model if lesson else ""),
            "language_suggestions": LANGUAGE_SUGGESTIONS,
            "preview": preview,
        },
    )


def _provider_choices(current_model: str) -> dict:
    """What the page's script needs to offer only the chosen provider's voices and models (with the labels that
    say when a model shuts down)."""
    tutor, catalog = settings.TUTOR, settings.TUTOR.catalog
    names = catalog.provider_names
    models = {name: offered_models(name, current_model) for name in names}
    return {
        "voices": {name: catalog.voices(name) for name in names},
        "defaults": {name: tutor.default_voice(name) for name in names},
        "models": models,
        "model_labels": {model: model_label(model) for offered in models.values() for model in offered},
    }


def _add_errors(form: Form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, messages_ in errors.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


def _preview_of(form: LessonForm, vocabulary, dialogue) -> InstructionPreview:
    form.is_valid()
    return instruction_preview(form.preview_spec(vocabulary=vocabulary.specs(), dialogue=dialogue.specs()))


@teacher_required
@require_POST
def lesson_preview(request: HttpRequest) -> HttpResponse:
    """The instructions the unsaved form would give the tutor: a fragment for the page's script, or a
    page of its own when the browser runs no script."""
    form = LessonForm(request.POST)
    vocabulary, dialogue = content_formsets(request.POST)
    preview = _preview_of(form, vocabulary, dialogue)
    if request.headers.get("X-Requested-With") == "fetch":
        return render(request, "teach/lessons/_preview.html", {"preview": preview})
    return render(request, "teach/lessons/preview.html", {"preview": preview})


@teacher_required
@require_POST
def lesson_duplicate(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(lessons_visible_to(user=request.user), pk=lesson_id)
    copy = lesson_services.lesson_duplicate(lesson=lesson, author=request.user)
    messages.success(request, _("This is your own draft copy: change what you like, then publish it."))
    return redirect("teach:lesson_edit", lesson_id=copy.pk)


@teacher_required
@require_POST
def lesson_publish(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(lessons_editable_by(user=request.user), pk=lesson_id)
    publish = request.POST.get("published") == "1"
    try:
        lesson_services.lesson_set_published(lesson=lesson, published=publish)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if publish:
            messages.success(request, _("Published: students can find it, and you can assign it to a class."))
        else:
            messages.success(request, _("Unpublished: students no longer see it, even where it is assigned."))
    return redirect("teach:lesson_detail", lesson_id=lesson.pk)


@teacher_required
@require_POST
def lesson_assign(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = get_object_or_404(lessons_visible_to(user=request.user), pk=lesson_id)
    form = AssignToClassForm(request.POST, classrooms=classrooms_managed_by(user=request.user))
    if not form.is_valid():
        messages.error(request, _("Choose one of your classes, and a valid due date."))
        return redirect("teach:lesson_detail", lesson_id=lesson.pk)
    classroom = form.cleaned_data["classroom"]
    try:
        class_services.assignment_create(classroom=classroom, lesson=lesson, due_at=form.cleaned_data["due_at"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Assigned to %(name)s.") % {"name": classroom.name})
    return redirect("teach:lesson_detail", lesson_id=lesson.pk)
