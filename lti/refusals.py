"""Why a launch is refused, each with what the person is told (translated): the one list the launch view and its
page read. The platform's own words go to the log, never to the page."""

import jwt
from django.utils.translation import gettext_lazy as _
from pylti1p3.exception import LtiException

REASONS = {
    "signature": _("This launch was not signed by the learning platform registered here, so it cannot be trusted."),
    "expired": _("This launch has expired. Open the activity again from your course."),
    "audience": _("This site is not registered for the learning platform or the client this launch was meant for."),
    "replayed": _("This launch was already used once. Open the activity again from your course."),
    "state": _(
        "This launch did not start on this site, or your browser did not keep its cookie. Open the activity again "
        "from your course, in a new window."
    ),
    "inactive": _("This learning platform's deployment is not switched on here yet: ask the site's operator."),
    "not_set_up": _("No lesson of this course is set up here yet: your teacher adds one from the course first."),
    "lesson": _("This activity names no lesson of this course."),
    "invalid": _("This launch is not one this site understands."),
}


class LaunchRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason if reason in REASONS else "invalid"


def reason_of(error: LtiException) -> str:
    """pylti1p3 says what failed in its message, and in its cause for the token's checks (PyJWT's errors)."""
    cause, message = error.__cause__, str(error)
    if isinstance(cause, jwt.ExpiredSignatureError):
        return "expired"
    if isinstance(cause, jwt.InvalidSignatureError) or "public key" in message or "KID" in message:
        return "signature"
    if "Registration not found" in message or "Client id not registered" in message:
        return "audience"
    if "State not found" in message or "state param" in message or "cookie" in message:
        return "state"
    if "Nonce" in message or "nonce" in message:
        return "replayed"
    return "invalid"
