"""A person's own data (what the app holds, downloaded as one archive), and the teacher's or operator's erasure
of a student, confirmed on a page of its own (POST, CSRF)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import teacher_required
from accounts.models import User
from practice.access import learner_erasable_by

from .archive import learner_archive
from .selectors.learner_data import learner_counts
from .services.erasure import learner_erase


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/my_data.html",
        {"counts": learner_counts(student=request.user), "retention_days": settings.PRIVACY_TRANSCRIPT_RETENTION_DAYS},
    )


@login_required
@require_GET
def my_data_export(request: HttpRequest) -> HttpResponse:
    """Everything the app holds about the person asking, and only them: the URL names nobody."""
    response = HttpResponse(learner_archive(student=request.user), content_type="application/zip")
    name = f"tutor-{request.user.username}-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@teacher_required
@require_http_methods(["GET", "POST"])
def learner_erase_confirm(request: HttpRequest, student_id: int) -> HttpResponse:
    try:
        learner = learner_erasable_by(user=request.user, student_id=student_id)
    except User.DoesNotExist:
        raise Http404 from None
    if request.method == "POST":
        name = learner.display_name
        learner_erase(student=learner, by=request.user)
        messages.success(request, _("%(name)s and everything the app held about them are erased.") % {"name": name})
        return redirect("teach:classroom_list")
    return render(request, "teach/learners/erase.html", {"learner": learner, "counts": learner_counts(student=learner)})
