"""Who may open the teacher's pages: teachers and staff; everyone else gets 403 (or the login page). And the
pages that only exist while local passwords are on."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def teacher_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (request.user.is_teacher or request.user.is_operator):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(checked)


def local_passwords_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page that sets or checks a local password: with LOCAL_PASSWORDS off it sends people to the login page,
    which offers the school's sign-in, and says why."""

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.LOCAL_PASSWORDS:
            messages.info(request, _("This site does not use passwords: sign in with your school account."))
            return redirect("login")
        return view(request, *args, **kwargs)

    return checked
