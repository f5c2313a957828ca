"""The platform's side of a launch: the tool's keys (JWKS), the login it starts (OIDC third-party initiation), and
the launch itself, checked by pylti1p3 (state, signature, audience, expiry, nonce) and by us (a nonce used once),
refused with a page that says why, or accepted: the person signed in and sent on."""

import logging

from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from lti_tool.models import Key, LtiLaunch
from lti_tool.utils import DjangoToolConfig, get_launch_from_request, sync_data_from_launch
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoOIDCLogin
from pylti1p3.exception import LtiException

from ..refusals import REASONS, LaunchRefused, reason_of
from ..services.launches import is_teaching, launch_person, nonce_use, student_launch_accept

log = logging.getLogger(__name__)
LAUNCH_SESSION_KEY = "lti-launch"
SIGNED_IN_ELSEWHERE = "accounts.backends.SignedInElsewhere"


def jwks(request: HttpRequest) -> HttpResponse:
    """The tool's public keys, which platforms check our deep-linking answers and grade requests against."""
    return JsonResponse(Key.objects.as_jwks())


def refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "lti/refused.html", {"reason": REASONS[reason], "code": reason}, status=403)


# The platform posts here from its own site: no CSRF token can come with it. The OIDC exchange's state and nonce,
# checked against what this site issued, do the CSRF token's work.
@method_decorator(csrf_exempt, name="dispatch")
class LoginInitView(View):
    """OIDC third-party-initiated login: the platform names itself and the link; we answer with a redirect to its
    authorization endpoint carrying a fresh state (also set as a cookie) and nonce."""

    def get(self, request: HttpRequest, registration_uuid=None) -> HttpResponse:
        return self.start(request, registration_uuid, request.GET)

    def post(self, request: HttpRequest, registration_uuid=None) -> HttpResponse:
        return self.start(request, registration_uuid, request.POST)

    def start(self, request: HttpRequest, registration_uuid, params) -> HttpResponse:
        target = params.get("target_link_uri")
        if not target:
            return HttpResponseBadRequest("target_link_uri is missing.")
        login_request = DjangoOIDCLogin(
            request, DjangoToolConfig(registration_uuid), launch_data_storage=DjangoCacheDataStorage()
        )
        try:
            return login_request.redirect(target)
        except LtiException as exc:
            log.info("LTI login refused: %s", exc)
            return refused(request, "audience")


@method_decorator(csrf_exempt, name="dispatch")
class LaunchView(View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            lti_launch = get_launch_from_request(request)
            nonce_use(issuer=lti_launch.get_claim("iss"), nonce=lti_launch.get_claim("nonce"))
        except LtiException as exc:
            log.info("LTI launch refused: %s", exc)
            return refused(request, reason_of(exc))
        except LaunchRefused as exc:
            return refused(request, exc.reason)
        sync_data_from_launch(lti_launch)
        if not lti_launch.deployment.is_active:
            return refused(request, "inactive")
        try:
            with transaction.atomic():  # a launch refused half-way creates nobody
                return self.accept(request, lti_launch)
        except LaunchRefused as exc:
            return refused(request, exc.reason)

    def accept(self, request: HttpRequest, lti_launch: LtiLaunch) -> HttpResponse:
        if lti_launch.is_deep_link_launch:
            if not is_teaching(lti_launch):
                raise LaunchRefused("invalid")
            person = launch_person(lti_launch=lti_launch)
            login(request, person, backend=SIGNED_IN_ELSEWHERE)
            request.session[LAUNCH_SESSION_KEY] = lti_launch.get_launch_id()
            return redirect("lti:deep_link")
        if not lti_launch.is_resource_launch:
            raise LaunchRefused("invalid")
        person = launch_person(lti_launch=lti_launch)
        lesson = student_launch_accept(
            lti_launch=lti_launch, student=person, lesson_id=lti_launch.get_custom_claim("lesson")
        )
        login(request, person, backend=SIGNED_IN_ELSEWHERE)
        return redirect("lti:lesson", lesson_id=lesson.pk)
