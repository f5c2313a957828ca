"""The landing page: what the visitor can do now, by role."""

from django.shortcuts import render

from lessons import selectors as lesson_selectors
from lessons.dashboard import teacher_dashboard
from tutor.accounts.forms import JoinClassForm


def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "home/visitor.html")
    if user.is_teacher or user.is_operator:
        return render(request, "home/teacher.html", {"dashboard": teacher_dashboard(teacher=user)})
    return render(
        request,
        "home/student.html",
        {
            "assignments": lesson_selectors.assignments_for_student(student=user),
            "classrooms": lesson_selectors.classrooms_of_student(student=user),
            "catalog": lesson_selectors.lesson_catalog(user=user)[:12],
            "join_form": JoinClassForm(),
        },
    )
