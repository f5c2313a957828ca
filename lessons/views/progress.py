"""A class's progress: per student and per assigned lesson, as charts and as tables."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .. import selectors
from ..class_progress import class_progress
from ..forms import ProgressPeriodForm
from ..progress_charts import progress_charts
from .access import teacher_required


@teacher_required
def classroom_progress(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = get_object_or_404(selectors.classrooms_managed_by(user=request.user), pk=classroom_id)
    form = ProgressPeriodForm(request.GET or {"period": "30"})
    progress = class_progress(classroom=classroom, since=form.since(timezone.now()))
    return render(
        request,
        "teach/classes/progress.html",
        {"classroom": classroom, "form": form, "progress": progress, "charts": progress_charts(progress)},
    )
