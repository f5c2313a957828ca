"""Deep linking: a teacher, launched from their course's "add an activity", picks one of our lessons; it is
assigned to the course's class and handed back to the platform as a link with a gradebook column."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from lti_tool.models import LtiLaunch
from lti_tool.utils import get_launch_from_request
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException
from pylti1p3.lineitem import LineItem

from lessons.selectors.lessons import lessons_assignable_by

from ..services.grades import SCORE_MAXIMUM
from ..services.launches import lesson_link_add
from .launch import LAUNCH_SESSION_KEY, refused

DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"


def _launch(request: HttpRequest) -> LtiLaunch | None:
    launch_id = request.session.get(LAUNCH_SESSION_KEY)
    if not launch_id:
        return None
    try:
        lti_launch = get_launch_from_request(request, launch_id)
    except LtiException:
        return None
    return lti_launch if lti_launch.is_deep_link_launch else None


def _link_for(request: HttpRequest, lesson) -> DeepLinkResource:
    lineitem = LineItem().set_score_maximum(SCORE_MAXIMUM).set_label(lesson.title[:255]).set_resource_id(str(lesson.pk))
    return (
        DeepLinkResource()
        .set_url(request.build_absolute_uri(reverse("lti:launch")))
        .set_title(lesson.title)
        .set_custom_params({"lesson": str(lesson.pk)})
        .set_lineitem(lineitem)
    )


@login_required
@require_http_methods(["GET", "POST"])
def deep_link(request: HttpRequest) -> HttpResponse:
    lti_launch = _launch(request)
    if lti_launch is None or not (request.user.is_teacher or request.user.is_operator):
        return refused(request, "state")
    lessons = lessons_assignable_by(user=request.user).order_by("language", "level", "title")
    error = ""
    if request.method == "POST":
        chosen = request.POST.get("lesson", "")
        lesson = lessons.filter(pk=chosen).first() if chosen.isdigit() else None
        if lesson is not None:
            lesson_link_add(lti_launch=lti_launch, teacher=request.user, lesson=lesson)
            answer = lti_launch.get_message_launch().get_deep_link().get_response_jwt([_link_for(request, lesson)])
            return_url = lti_launch.get_claim(DEEP_LINKING_SETTINGS)["deep_link_return_url"]
            context = {"lesson": lesson, "return_url": return_url, "jwt": answer}
            response = render(request, "lti/deep_link_return.html", context)
            # The page's form goes back to the platform: this one response may post there (the site's CSP allows
            # only itself). Django's csp_override does the same for a fixed policy; this origin is the platform's.
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(return_url))
            response._csp_config = {**settings.SECURE_CSP, "form-action": [CSP.SELF, origin]}
            return response
        error = _("Choose one of the lessons.")
    return render(
        request,
        "lti/deep_link.html",
        {"lessons": lessons, "course": lti_launch.context.title or lti_launch.context.label, "error": error},
    )
