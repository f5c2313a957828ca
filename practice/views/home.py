"""The landing page, by role: the visitor's welcome, the student's dashboard (what to practise next, cards
due, lessons at their level, how the practice is going, the lesson catalog) or the teacher's (what needs
attention now)."""

from django.shortcuts import render
from django.utils import timezone

from lessons.forms.catalog import CatalogFilterForm
from lessons.forms.classrooms import JoinClassForm
from lessons.selectors.classrooms import assignments_for_student, classrooms_of_student
from lessons.selectors.lessons import catalog_languages, lesson_catalog, lessons_near_level

from ..selectors.dashboards import teacher_dashboard
from ..selectors.deck import deck_counts
from ..selectors.levels import levels_of
from ..selectors.progress import practice_summary
from ..selectors.sessions import session_history, unfinished_sessions_by_lesson
from ..templatetags.formatting import language_name

CATALOG_SIZE = 24
AT_LEVEL_SIZE = 4


def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "home/visitor.html")
    if user.is_teacher or user.is_operator:
        return render(request, "home/teacher.html", {"dashboard": teacher_dashboard(teacher=user)})
    return _student_dashboard(request)


def _student_dashboard(request):
    user = request.user
    languages = [(code, language_name(code)) for code in catalog_languages(user=user)]
    filters = CatalogFilterForm(request.GET if request.GET else None, languages=languages)
    language, level = filters.values()
    levels = [row for row in levels_of(student=user, suggest=False) if row.progress.level]
    at_level = [
        (row, *lessons_near_level(user=user, language=row.language, level=row.progress.level, limit=AT_LEVEL_SIZE))
        for row in levels
    ]
    return render(
        request,
        "home/student.html",
        {
            "summary": practice_summary(student=user),
            "deck": deck_counts(student=user),
            "at_level": at_level,
            "assignments": assignments_for_student(student=user),
            "classrooms": classrooms_of_student(student=user),
            "unfinished_lessons": set(unfinished_sessions_by_lesson(student=user)),
            "recent_sessions": session_history(student=user)[:3],
            "catalog": lesson_catalog(user=user, language=language, level=level)[:CATALOG_SIZE],
            "filters": filters,
            "filtered": bool(language or level),
            "join_form": JoinClassForm(),
            "now": timezone.now(),
        },
    )
