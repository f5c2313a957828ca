"""The student's progress page: minutes per week, corrections by category, words learned."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from lessons.selectors import progress_of_student

from .. import progress_charts


@login_required
def progress_page(request):
    return render(
        request,
        "student/progress.html",
        {
            "charts": progress_charts.progress_charts(student=request.user),
            "languages": progress_of_student(student=request.user),
        },
    )
