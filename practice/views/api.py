"""POST /api/sessions/: create a live session for a lesson (browser protocol v1, docs/protocol.md)."""

import json

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_POST

from lessons.models import Lesson

from ..budgets import BudgetSpent
from ..services.sessions import session_start


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@require_POST
def session_create(request):
    if not request.user.is_authenticated:
        return _error(401, "not_authenticated", "Log in first.")
    try:
        body = json.loads(request.body or b"{}")
        lesson_id = int(body["lesson"])
    except (ValueError, KeyError, TypeError):
        return _error(400, "bad_request", 'Send {"lesson": <id>} as JSON.')
    lesson = Lesson.objects.filter(pk=lesson_id).first()
    if lesson is None:
        return _error(404, "not_found", "No such lesson.")
    try:
        session, created = session_start(
            student=request.user, lesson=lesson, reader_language=translation.get_language()
        )
    except BudgetSpent as exc:
        return _error(403, "budget_spent", str(exc))
    except PermissionDenied as exc:
        return _error(403, "forbidden", str(exc))
    # 200: a double click or a second tab continues the same session.
    return _created(session, status=201 if created else 200)


def _created(session, *, status: int) -> JsonResponse:
    return JsonResponse(
        {
            "id": session.pk,
            "ws_url": f"/ws/sessions/{session.pk}/",
            "provider": session.provider,
            "page_url": reverse("session_live", args=[session.pk]),
        },
        status=status,
    )
