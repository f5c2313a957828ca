"""GET /sessions/<id>/report.json: the session report's status, the report once it is written, and the cards the
session gave the deck once they are made; POST /sessions/<id>/report/version/: its words in the reader's language.

The session page polls report.json while the report or the cards are on their way (Celery tasks) and swaps in the
`html` of each.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ..access import session_for_viewer
from ..models import ReportStatus, SessionReport, TutorSession
from ..selectors.deck import session_cards
from ..selectors.sessions import ReportWords, report_words, session_report
from ..services.reports import report_version_request

FINAL = (ReportStatus.READY, ReportStatus.FAILED)


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@never_cache
@require_GET
def session_report_json(request, session_id: int):
    if not request.user.is_authenticated:
        return _error(401, "not_authenticated", "Log in first.")
    try:
        session = session_for_viewer(user=request.user, session_id=session_id)
    except TutorSession.DoesNotExist:
        return _error(404, "not_found", "No such session.")
    report = session_report(session_id=session.pk)
    words = report_words(report=report) if report and report.status == ReportStatus.READY else None
    is_own = session.student_id == request.user.pk
    html = render_to_string(
        "sessions/includes/report.html",
        {"report": report, "words": words, "session": session, "is_own": is_own},
        request=request,
    )
    status = (words.status if words else report.status) if report else "none"
    cards_made = session.deck_updated_at is not None
    cards = list(session_cards(session_id=session.pk))
    body = {
        "status": status,
        "status_display": report.get_status_display() if report else "",
        "final": bool(report and report.status in FINAL and status in FINAL),
        "html": html,
        "report": _fields(report, words, session) if words is not None else None,
        "cards": {
            "made": cards_made,
            "count": len(cards),
            "announce": ngettext("%(count)d new card.", "%(count)d new cards.", len(cards)) % {"count": len(cards)},
            "html": render_to_string(
                "sessions/includes/cards_made.html",
                {"cards": cards, "made": cards_made, "session": session, "is_own": is_own},
                request=request,
            ),
        },
    }
    return JsonResponse(body)


@login_required
@require_POST
def report_version(request, session_id: int) -> HttpResponse:
    """A reader asks for the report's words in their language (the page's); the page then waits for them."""
    try:
        session = session_for_viewer(user=request.user, session_id=session_id)
    except TutorSession.DoesNotExist:
        raise Http404 from None
    report_version_request(session_id=session.pk, language=request.POST.get("language") or translation.get_language())
    if session.student_id == request.user.pk:
        return redirect("session_detail", session_id=session.pk)
    return redirect("teach:session_review", session_id=session.pk)


def _fields(report: SessionReport, words: ReportWords, session: TutorSession) -> dict:
    suggested = report.suggested_lesson
    return {
        "language": words.language,
        "summary": words.summary,
        "strengths": words.strengths,
        "corrections_by_category": report.corrections_by_category,
        "vocabulary_used": report.vocabulary_used,
        "vocabulary_learned": report.vocabulary_learned,
        "objectives_met": report.objectives_met,
        "weak_points": words.weak_points,
        "suggested_lesson": {"id": suggested.pk, "title": suggested.title} if suggested else None,
        "pronunciation": [
            {"word": p.word, "heard_as": p.heard_as, "tip": p.tip, "estimate": p.estimate}
            for p in session.pronunciation_notes.all()
        ],
    }
