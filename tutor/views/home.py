"""The landing page: what the visitor can do now, by role."""

from django.shortcuts import render

from lessons import selectors as lesson_selectors

from .. import selectors
from .dashboard import student_dashboard


def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "home/visitor.html")
    if user.is_teacher or user.is_operator:
        return render(
            request,
            "home/teacher.html",
            {
                "classrooms": lesson_selectors.classrooms_of_teacher(teacher=user),
                "lessons": lesson_selectors.lessons_visible_to(user=user).filter(author=user),
                "recent_sessions": selectors.sessions_visible_to(user=user).exclude(student=user)[:10],
            },
        )
    return student_dashboard(request)
