"""Erasing a student: what their sessions cost is kept as anonymous totals, then the account goes with everything
that refers to it (sessions, transcripts, notes, reports, usage, deck, levels, placements, enrolments, sign-in
identities, admin log entries about them, their open login sessions). docs/privacy.md lists it."""

import datetime as dt
import logging
from collections import defaultdict
from decimal import Decimal

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from lessons.models import Enrollment
from practice.models import ErasedSpend, UsageRecord

from ..selectors.identities import platform_identities

log = logging.getLogger(__name__)


def _month(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def spend_keep_anonymous(*, student: User) -> None:
    """Add what the student's sessions cost to the anonymous totals of each of their classes and of the site,
    month by month, as the costs page counts them (practice/selectors/costs.py)."""
    by_month: dict[dt.date, list[Decimal | int]] = defaultdict(lambda: [Decimal(0), 0])
    for cost, created_at in UsageRecord.objects.filter(session__student=student).values_list("cost_usd", "created_at"):
        total = by_month[_month(created_at)]
        if cost is None:
            total[1] += 1
        else:
            total[0] += cost
    classrooms = list(Enrollment.objects.filter(student=student).values_list("classroom_id", flat=True))
    for month, (usd, unpriced) in by_month.items():
        for classroom_id in [None, *classrooms]:
            row, _ = ErasedSpend.objects.select_for_update().get_or_create(classroom_id=classroom_id, month=month)
            ErasedSpend.objects.filter(pk=row.pk).update(
                cost_usd=F("cost_usd") + usd, unpriced=F("unpriced") + unpriced
            )


def _login_sessions_end(*, student: User) -> None:
    """Their open login sessions hold their id: they go too (and log them out everywhere)."""
    for session in Session.objects.filter(expire_date__gte=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(student.pk):
            session.delete()


@transaction.atomic
def learner_erase(*, student: User, by: User) -> None:
    """Erase the student and all the app holds about them; the cost of their sessions stays as anonymous totals.
    Who may erase whom is practice/access.py's `learner_erasable_by`; this trusts its caller."""
    student = User.objects.select_for_update().get(pk=student.pk)
    spend_keep_anonymous(student=student)
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(student.pk)).delete()
    _login_sessions_end(student=student)
    # django-lti keeps a platform's user when their account goes (SET_NULL), with their name and e-mail: not here.
    platform_identities(student=student).delete()
    erased_id = student.pk
    student.delete()  # cascades to every row that refers to them (foreign keys: on_delete=CASCADE)
    log.info("learner erased", extra={"erased_user_id": erased_id, "by_user_id": by.pk})
