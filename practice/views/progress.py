"""Progress pages: the student's (minutes per week, corrections by kind, words learned, the deck's retention
and cards learned per week, totals and level by language) and a class's (per student, with their decks, and
per assigned lesson), as charts and as tables."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.access import teacher_required
from lessons.selectors.classrooms import classrooms_managed_by

from ..forms import ProgressPeriodForm
from ..progress_charts import class_progress_charts, student_progress_charts
from ..selectors.deck import deck_stats_by_student
from ..selectors.levels import levels_of
from ..selectors.progress import class_progress, progress_by_language


@login_required
def progress_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "student/progress.html",
        {
            "charts": student_progress_charts(student=request.user),
            "languages": progress_by_language(student=request.user),
            "levels": [row for row in levels_of(student=request.user) if row.progress.level],
        },
    )


@teacher_required
def classroom_progress(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = get_object_or_404(classrooms_managed_by(user=request.user), pk=classroom_id)
    form = ProgressPeriodForm(request.GET or {"period": "30"})
    progress = class_progress(classroom=classroom, since=form.since(timezone.now()))
    return render(
        request,
        "teach/classes/progress.html",
        {
            "classroom": classroom,
            "form": form,
            "progress": progress,
            "charts": class_progress_charts(progress),
            "decks": deck_stats_by_student(students=[row.student for row in progress.students]),
        },
    )
