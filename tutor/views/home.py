"""The landing page: what the visitor can do now, by role."""

from django.shortcuts import render

from lessons.dashboard import teacher_dashboard

from .dashboard import student_dashboard


def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "home/visitor.html")
    if user.is_teacher or user.is_operator:
        return render(request, "home/teacher.html", {"dashboard": teacher_dashboard(teacher=user)})
    return student_dashboard(request)
