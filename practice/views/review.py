"""Reviewing sessions: the filtered list, one session in full with a comment for the student, and the
page that watches a session live."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import teacher_required
from lessons.selectors.classrooms import classrooms_managed_by, students_of_teacher

from ..access import session_watchable_by, sessions_visible_to
from ..forms import CommentForm, SessionFilterForm
from ..models import FINISHED, CorrectionCategory
from ..selectors import review as review_selectors
from ..selectors.sessions import session_objectives, session_words
from ..services.comments import comment_create as comment_save

PAGE_SIZE = 25


@teacher_required
def session_list(request: HttpRequest) -> HttpResponse:
    form = SessionFilterForm(
        request.GET,
        classrooms=classrooms_managed_by(user=request.user),
        students=students_of_teacher(user=request.user),
        lessons=review_selectors.lessons_reviewed_by(user=request.user),
    )
    sessions = review_selectors.sessions_for_review(user=request.user, **form.filters()) if form.is_valid() else []
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "teach/sessions/list.html",
        {"form": form, "page": Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page")), "query": query},
    )


@teacher_required
def session_review(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(sessions_visible_to(user=request.user), pk=session_id)
    return render(
        request,
        "teach/sessions/detail.html",
        {"review": review_selectors.session_review(session_id=session.pk), "comment_form": CommentForm()},
    )


@teacher_required
@require_POST
def comment_create(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(sessions_visible_to(user=request.user), pk=session_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        comment_save(session=session, author=request.user, text=form.cleaned_data["text"])
        messages.success(
            request, _("Comment saved: %(name)s sees it with the session.") % {"name": session.student.display_name}
        )
        return redirect("teach:session_review", session_id=session.pk)
    return render(
        request,
        "teach/sessions/detail.html",
        {"review": review_selectors.session_review(session_id=session.pk), "comment_form": form},
    )


@teacher_required
def session_watch(request: HttpRequest, session_id: int) -> HttpResponse:
    session = session_watchable_by(user=request.user, session_id=session_id)
    if session is None:
        raise Http404
    if session.status in FINISHED:
        messages.info(request, _("This session has ended: here is all of it."))
        return redirect("teach:session_review", session_id=session.pk)
    return render(
        request,
        "teach/sessions/watch.html",
        {
            "session": session,
            # What the student's page starts from: the lesson's words and objectives, each as it stands so far.
            "words": session_words(session=session),
            "objectives": session_objectives(session=session),
            "categories": dict(CorrectionCategory.choices),
        },
    )
