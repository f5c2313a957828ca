"""Lesson files from the teacher's pages: import an upload (all or nothing), export YAML or JSON."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import teacher_required

from ..files import LessonFileError, dump_lesson_file, excerpt
from ..forms.files import LessonExportForm, LessonImportForm
from ..lifecycle import retiring_notice
from ..selectors.lessons import lesson_specs, lessons_editable_by, lessons_visible_to
from ..services import lessons as lesson_services

CONTENT_TYPES = {"yaml": "application/yaml; charset=utf-8", "json": "application/json; charset=utf-8"}


@teacher_required
def lesson_import(request: HttpRequest) -> HttpResponse:
    bound = request.method == "POST"
    form = LessonImportForm(request.POST if bound else None, request.FILES if bound else None)
    problems = []
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            lessons = lesson_services.lesson_file_import(
                text=text, author=request.user, publish=form.cleaned_data["publish"]
            )
        except LessonFileError as exc:
            problems = [(problem, excerpt(text, problem.line)) for problem in exc.problems]
        else:
            count = len(lessons)
            messages.success(
                request, ngettext("Imported %(count)d lesson.", "Imported %(count)d lessons.", count) % {"count": count}
            )
            for lesson in lessons:  # imported, but their model goes soon: the teacher hears it now
                if notice := retiring_notice(lesson.model):
                    messages.warning(request, f"{lesson.title}: {notice}")
            return redirect("teach:lesson_list")
    return render(request, "teach/lessons/import.html", {"form": form, "problems": problems})


@teacher_required
def lesson_export(request: HttpRequest) -> HttpResponse:
    """?lesson=<id> (repeatable) exports those lessons; no lesson exports all of the teacher's own."""
    visible = lessons_visible_to(user=request.user)
    form = LessonExportForm(request.GET, lesson_ids=list(visible.values_list("pk", flat=True)))
    if not form.is_valid():
        messages.error(request, _("Those lessons are not yours to export."))
        return redirect("teach:lesson_list")
    chosen = form.cleaned_data["lesson"]
    lessons = visible.filter(pk__in=chosen) if chosen else lessons_editable_by(user=request.user)
    specs = lesson_specs(lessons=lessons)
    if not specs:
        messages.error(request, _("There is no lesson to export yet."))
        return redirect("teach:lesson_list")
    fmt = form.cleaned_data["format"]
    response = HttpResponse(dump_lesson_file(specs, fmt=fmt), content_type=CONTENT_TYPES[fmt])
    name = slugify(specs[0].title) if len(specs) == 1 else ""
    response["Content-Disposition"] = f'attachment; filename="{name or "lessons"}.{fmt}"'
    return response
