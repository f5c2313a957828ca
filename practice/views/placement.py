"""The placement: a short test per language that sets the student's level in it, and a suggested level
accepted by the student."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lessons.selectors.lessons import lessons_near_level

from ..forms import LevelForm, PlacementForm
from ..models import LevelSource
from ..placement import placement_languages, tasks_for
from ..selectors.levels import levels_of
from ..selectors.sessions import unfinished_sessions_by_lesson
from ..services.levels import level_set, placement_record


@login_required
def placement_list(request: HttpRequest) -> HttpResponse:
    levels = {row.language: row for row in levels_of(student=request.user, suggest=False)}
    return render(
        request,
        "student/placement_list.html",
        {"languages": [(code, levels.get(code)) for code in placement_languages()]},
    )


@login_required
def placement_take(request: HttpRequest, language: str) -> HttpResponse:
    tasks = tasks_for(language)
    if not tasks or language not in placement_languages():
        raise Http404
    form = PlacementForm(request.POST or None, tasks=tasks, language=language)
    if request.method == "POST" and form.is_valid():
        result = placement_record(student=request.user, language=language, answers=form.cleaned_data)
        lessons, exact = lessons_near_level(user=request.user, language=language, level=result.level)
        return render(
            request,
            "student/placement_result.html",
            {
                "result": result,
                "language": language,
                "lessons": lessons,
                "exact": exact,
                "unfinished_lessons": set(unfinished_sessions_by_lesson(student=request.user)),
            },
        )
    return render(request, "student/placement_take.html", {"form": form, "language": language})


@login_required
@require_POST
def level_accept(request: HttpRequest) -> HttpResponse:
    """The student takes the level their recent sessions suggest (and only that one)."""
    form = LevelForm(request.POST)
    if not form.is_valid():
        raise Http404
    wanted = form.cleaned_data
    row = next((r for r in levels_of(student=request.user) if r.language == wanted["language"]), None)
    if row is None or not row.suggestion or row.suggestion != wanted["level"]:
        raise Http404
    level_set(student=request.user, language=row.language, level=row.suggestion, source=LevelSource.STUDENT)
    messages.success(request, _("Your level is now %(level)s.") % {"level": row.suggestion})
    return redirect("progress")
