"""Monthly budgets, and the one policy that decides what a new session runs on once one is spent.

A class may have a monthly budget (Classroom.monthly_budget_usd, set by its teacher) and the site may have one
(TUTOR_MONTHLY_BUDGET_USD). A session counts for the classes its student is in (practice/selectors/costs.py
says why); a student in several classes is held by each of their budgets. When this month's spend of one of
them, or of the site, has reached its budget, a new session that would call a paid service runs on the offline
tutor instead, or is refused (TUTOR_OVER_BUDGET=offline|refuse). Only what has a price counts towards a budget.
Sessions already started carry on: a budget holds back new ones. A session that starts on a paid service holds
its expected cost (its time limit at its model's prices, TutorConfig.session_estimate_usd) against the budgets
until it ends, less what it has spent so far, and the check and the start are one step (`tutor_for_new_session`
runs inside the transaction that creates the session, the starts one after another): sessions started at once
cannot all pass a budget with room for one. Beside provider_health.py, which steers new sessions away from a
provider that is down, as this steers them away from one the month cannot pay for.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils.translation import gettext as _

from accounts.models import User
from lessons.models import Classroom, Provider

from .provider_health import provider_usable
from .selectors.costs import Spend, classrooms_spend_this_month, held_this_month, site_spend_this_month

OFFLINE = Provider.OFFLINE
# PostgreSQL's advisory lock that one session start holds at a time, until its transaction ends (any number would
# do; this one spells "budget"). SQLite needs none: its IMMEDIATE transactions (config/settings/base.py) already
# take the write lock as they begin.
START_LOCK = 0x6275646765740000


@dataclass(frozen=True)
class Budget:
    """A class's or the site's budget for this month, what was spent of it, and what the sessions still running
    hold back of it (their expected cost, less what they have spent)."""

    limit: Decimal
    spent: Spend
    classroom: Classroom | None = None  # None: the site's
    held: Decimal = Decimal(0)

    @property
    def committed(self) -> Decimal:
        return self.spent.usd + self.held

    @property
    def reached(self) -> bool:
        return self.committed >= self.limit

    @property
    def percent(self) -> int:
        """How much of it is spent or held, for a progress bar (at most 100)."""
        if self.limit <= 0:
            return 100
        return min(100, int(self.committed * 100 / self.limit))


@dataclass(frozen=True)
class SessionTutor:
    """What a new session runs on, whether a spent budget put it on the offline tutor, and what it holds back of
    the budgets while it runs."""

    provider: str
    model: str
    offline_for_budget: bool = False
    reserved_usd: Decimal | None = None


class BudgetSpent(PermissionDenied):
    """A budget is spent and the site refuses new sessions until next month (TUTOR_OVER_BUDGET=refuse)."""


def over_budget_action() -> str:
    return settings.TUTOR_OVER_BUDGET


def site_budget(*, today: dt.date | None = None) -> Budget | None:
    limit = settings.TUTOR_MONTHLY_BUDGET_USD
    if limit is None:
        return None
    return Budget(limit, site_spend_this_month(today=today), held=held_this_month(today=today).site)


def classroom_budgets(*, classrooms: Iterable[Classroom], today: dt.date | None = None) -> list[Budget]:
    """The budgets of those of these classes that have one, with this month's spend and what is held of them."""
    budgeted = [classroom for classroom in classrooms if classroom.monthly_budget_usd is not None]
    if not budgeted:
        return []
    spent = classrooms_spend_this_month(classrooms=budgeted, today=today)
    held = held_this_month(today=today).by_classroom
    return [Budget(c.monthly_budget_usd, spent[c.pk], classroom=c, held=held.get(c.pk, Decimal(0))) for c in budgeted]


def budgets_reached_for(*, student: User, today: dt.date | None = None) -> list[Budget]:
    """The budgets that hold this student back this month: their classes' and the site's."""
    classrooms = Classroom.objects.filter(enrollments__student=student, monthly_budget_usd__isnull=False)
    budgets = classroom_budgets(classrooms=classrooms, today=today)
    site = site_budget(today=today)
    return [budget for budget in (*budgets, *([site] if site else [])) if budget.reached]


def tutor_for_new_session(
    *, student: User, minutes: float, lesson_provider: str = "", lesson_model: str = ""
) -> SessionTutor:
    """The provider and model of a new session of `minutes` at most (the lesson's, the site's, or a fallback of a
    provider that is down), unless a budget is spent or held back by the sessions still running: then the offline
    tutor, or BudgetSpent. The offline tutor costs nothing, so a session on it is never held back. Call it inside
    the transaction that creates the session, which then holds `reserved_usd` until it ends: the next start waits
    for that transaction (the check and the start are one step)."""
    provider, model = settings.TUTOR.session_provider_and_model(lesson_provider, lesson_model, usable=provider_usable)
    if provider == OFFLINE:
        return SessionTutor(provider, model)
    _one_start_at_a_time()
    if not budgets_reached_for(student=student):
        expected = settings.TUTOR.session_estimate_usd(provider, model, minutes=minutes)
        return SessionTutor(provider, model, reserved_usd=expected)
    if over_budget_action() == "refuse":
        raise BudgetSpent(_("This month's tutor budget is spent: no new session can start until next month."))
    return SessionTutor(OFFLINE, settings.TUTOR.live_model(OFFLINE), offline_for_budget=True)


def _one_start_at_a_time() -> None:
    """Session starts that may call a paid service read the budgets one at a time, each until its transaction ends
    (with the new session written): on PostgreSQL by an advisory lock; SQLite's IMMEDIATE transactions already
    serialize every writer as it begins."""
    if not connection.in_atomic_block:
        raise RuntimeError("tutor_for_new_session runs inside the transaction that creates the session")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [START_LOCK])
