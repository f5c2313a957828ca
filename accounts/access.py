"""Who may open the teacher's pages: teachers and staff; everyone else gets 403 (or the login page)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def teacher_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (request.user.is_teacher or request.user.is_operator):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(checked)
