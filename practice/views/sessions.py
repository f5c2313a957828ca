"""A student's live session: start (or continue) one, the live page, and the page it leaves behind."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from lessons.models import Lesson
from lessons.selectors.lessons import lesson_with_content

from ..access import may_join_live, session_for_viewer
from ..models import FINISHED, CorrectionCategory, TutorSession
from ..selectors.sessions import session_objectives, session_page, session_words
from ..services.sessions import session_start as start_or_continue

# What the page asks of the browser's audio processing. The offline tutor recognizes spoken answers
# by comparing their spectra with eSpeak renderings; Chromium's noise suppression and automatic gain
# reshape those spectra (measured with eSpeak speech through Chromium 156: a clear answer's distance
# went from 8.8 to 15-16 with noise suppression and to 12.3 with automatic gain, against a threshold
# of 12.5), so with the offline tutor the page keeps only echo cancellation.
CAPTURE_PROCESSING = {
    "offline": {"echoCancellation": True, "noiseSuppression": False, "autoGainControl": False},
}
DEFAULT_CAPTURE_PROCESSING = {"echoCancellation": True, "noiseSuppression": True, "autoGainControl": True}


@login_required
@require_POST
def session_start(request, lesson_id: int):
    """The form path of POST /api/sessions/: continue an unfinished session or start a new one."""
    lesson = get_object_or_404(Lesson, pk=lesson_id)
    try:
        session, _created = start_or_continue(
            student=request.user, lesson=lesson, reader_language=translation.get_language()
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("home")
    return redirect("session_live", session_id=session.pk)


def _viewable_session(request, session_id: int) -> TutorSession:
    """The session if the user may see it (its student, their teacher, staff); else 404 for all."""
    try:
        return session_for_viewer(user=request.user, session_id=session_id)
    except TutorSession.DoesNotExist:
        raise Http404 from None


@login_required
def session_live(request, session_id: int):
    session = _viewable_session(request, session_id)
    if not may_join_live(user=request.user, session=session):
        raise Http404  # teachers watch through the review pages, never by joining the student's socket
    if session.status in FINISHED:
        return redirect("session_detail", session_id=session.pk)
    lesson = lesson_with_content(lesson_id=session.lesson_id)
    return render(
        request,
        "sessions/live.html",
        {
            "session": session,
            "lesson": lesson,
            "words": session_words(session=session),
            "objectives": session_objectives(session=session),
            "capture_processing": CAPTURE_PROCESSING.get(session.provider, DEFAULT_CAPTURE_PROCESSING),
            "turn_silence_ms": settings.TUTOR.turn_silence_ms(
                session.provider, level=lesson.level, lesson_patience=lesson.patience
            ),
            "categories": dict(CorrectionCategory.choices),
        },
    )


@login_required
def session_detail(request, session_id: int):
    session = _viewable_session(request, session_id)
    page = session_page(session_id=session.pk)
    return render(request, "sessions/detail.html", {"page": page, "is_own": session.student_id == request.user.pk})
