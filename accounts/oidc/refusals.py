"""Why a sign-in through the school's provider is refused, each with what the person is told (translated)."""

from django.utils.translation import gettext_lazy as _

REASONS = {
    "domain": _("This e-mail address is not one of the school's: only the school's accounts may sign in here."),
    "email": _("The school's sign-in service did not give a verified e-mail address for this account."),
    "token": _(
        "The answer from the school's sign-in service could not be verified (its signature, issuer or audience is "
        "not the one registered here)."
    ),
    "state": _("This sign-in did not start here, or was already used. Start again from the login page of this site."),
    "cancelled": _("The school's sign-in service did not sign you in."),
    "unreachable": _("The school's sign-in service could not be reached. Try again in a moment."),
    "inactive": _("This account is switched off. Ask the site's operator."),
    "failed": _("Signing in through the school's service did not work. Start again from the login page."),
}


class SignInRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason if reason in REASONS else "failed"
