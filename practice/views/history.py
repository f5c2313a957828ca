"""The student's past sessions, newest first, each linking to its transcript and report."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from ..selectors.sessions import session_history as history_of

PER_PAGE = 20


@login_required
def session_history(request):
    sessions = Paginator(history_of(student=request.user), PER_PAGE)
    return render(request, "student/history.html", {"page_obj": sessions.get_page(request.GET.get("page"))})
