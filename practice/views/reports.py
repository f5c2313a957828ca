"""GET /sessions/<id>/report.json: the session report's status, and the report once it is written.

The session page polls it while the report is being written (by a Celery task) and swaps in `html`.
"""

from django.http import JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..access import session_for_viewer
from ..models import ReportStatus, SessionReport, TutorSession
from ..selectors.sessions import session_report

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
    html = render_to_string(
        "sessions/includes/report.html",
        {"report": report, "session": session, "is_own": session.student_id == request.user.pk},
        request=request,
    )
    body = {
        "status": report.status if report else "none",
        "status_display": report.get_status_display() if report else "",
        "final": bool(report and report.status in FINAL),
        "html": html,
        "report": _fields(report, session) if report and report.status == ReportStatus.READY else None,
    }
    return JsonResponse(body)


def _fields(report: SessionReport, session: TutorSession) -> dict:
    suggested = report.suggested_lesson
    return {
        "summary": report.summary,
        "strengths": report.strengths,
        "corrections_by_category": report.corrections_by_category,
        "vocabulary_used": report.vocabulary_used,
        "vocabulary_learned": report.vocabulary_learned,
        "objectives_met": report.objectives_met,
        "weak_points": report.weak_points,
        "suggested_lesson": {"id": suggested.pk, "title": suggested.title} if suggested else None,
        "pronunciation": [
            {"word": p.word, "heard_as": p.heard_as, "tip": p.tip, "estimate": p.estimate}
            for p in session.pronunciation_notes.all()
        ],
    }
