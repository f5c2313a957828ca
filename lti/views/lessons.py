"""Where a launch from the platform lands: the lesson, ready to start, in the course's class."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lessons.models import Lesson
from lessons.selectors.lessons import student_may_use_lesson
from practice.models import UNFINISHED, TutorSession


@login_required
@require_GET
def lesson_start(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = Lesson.objects.filter(pk=lesson_id).first()
    if lesson is None or not student_may_use_lesson(student=request.user, lesson=lesson):
        raise Http404
    unfinished = TutorSession.objects.filter(student=request.user, lesson=lesson, status__in=UNFINISHED).exists()
    return render(
        request,
        "lti/lesson.html",
        {"lesson": lesson, "unfinished_lessons": {lesson.pk} if unfinished else set()},
    )
