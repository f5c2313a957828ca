"""The student's home page: what to practise next, how the practice is going, the lesson catalog."""

from django.shortcuts import render
from django.utils import timezone

from lessons import selectors as lesson_selectors
from lessons.catalog import CatalogFilterForm
from tutor.accounts.forms import JoinClassForm

from .. import progress, selectors
from ..templatetags.tutor_format import language_name

CATALOG_SIZE = 24


def student_dashboard(request):
    user = request.user
    languages = [(code, language_name(code)) for code in lesson_selectors.catalog_languages(user=user)]
    filters = CatalogFilterForm(request.GET if request.GET else None, languages=languages)
    language, level = filters.values()
    return render(
        request,
        "home/student.html",
        {
            "summary": progress.practice_summary(student=user),
            "assignments": lesson_selectors.assignments_for_student(student=user),
            "classrooms": lesson_selectors.classrooms_of_student(student=user),
            "unfinished_lessons": set(selectors.unfinished_sessions_by_lesson(student=user)),
            "recent_sessions": selectors.session_history(student=user)[:3],
            "catalog": lesson_selectors.lesson_catalog(user=user, language=language, level=level)[:CATALOG_SIZE],
            "filters": filters,
            "filtered": bool(language or level),
            "join_form": JoinClassForm(),
            "now": timezone.now(),
        },
    )
