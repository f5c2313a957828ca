"""Monthly budgets, and the one policy that decides what a new session runs on once one is spent.

A class may have a monthly budget (Classroom.monthly_budget_usd, set by its teacher) and the site may have one
(TUTOR_MONTHLY_BUDGET_USD). A session counts for the classes its student is in (practice/selectors/costs.py
says why); a student in several classes is held by each of their budgets. When this month's spend of one of
them, or of the site, has reached its budget, a new session that would call a paid service runs on the offline
tutor instead, or is refused (TUTOR_OVER_BUDGET=offline|refuse). Only what has a price counts towards a budget.
Sessions already started carry on: a budget holds back new ones. Beside provider_health.py, which steers new
sessions away from a provider that is down, as this steers them away from one the month cannot pay for.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import User
from lessons.models import Classroom, Provider

from .provider_health import provider_usable
from .selectors.costs import Spend, classrooms_spend_this_month, site_spend_this_month

OFFLINE = Provider.OFFLINE


@dataclass(frozen=True)
class Budget:
    """A class's or the site's budget for this month, and what was spent of it."""

    limit: Decimal
    spent: Spend
    classroom: Classroom | None = None  # None: the site's

    @property
    def reached(self) -> bool:
        return self.spent.usd >= self.limit

    @property
    def percent(self) -> int:
        """How much of it is spent, for a progress bar (at most 100)."""
        if self.limit <= 0:
            return 100
        return min(100, int(self.spent.usd * 100 / self.limit))


@dataclass(frozen=True)
class SessionTutor:
    """What a new session runs on, and whether a spent budget put it on the offline tutor."""

    provider: str
    model: str
    offline_for_budget: bool = False


class BudgetSpent(PermissionDenied):
    """A budget is spent and the site refuses new sessions until next month (TUTOR_OVER_BUDGET=refuse)."""


def over_budget_action() -> str:
    return settings.TUTOR_OVER_BUDGET


def site_budget(*, today: dt.date | None = None) -> Budget | None:
    limit = settings.TUTOR_MONTHLY_BUDGET_USD
    return None if limit is None else Budget(limit, site_spend_this_month(today=today))


def classroom_budgets(*, classrooms: Iterable[Classroom], today: dt.date | None = None) -> list[Budget]:
    """The budgets of those of these classes that have one, with this month's spend, in one query."""
    budgeted = [classroom for classroom in classrooms if classroom.monthly_budget_usd is not None]
    if not budgeted:
        return []
    spent = classrooms_spend_this_month(classrooms=budgeted, today=today)
    return [Budget(c.monthly_budget_usd, spent[c.pk], classroom=c) for c in budgeted]


def budgets_reached_for(*, student: User, today: dt.date | None = None) -> list[Budget]:
    """The budgets that hold this student back this month: their classes' and the site's."""
    classrooms = Classroom.objects.filter(enrollments__student=student, monthly_budget_usd__isnull=False)
    budgets = classroom_budgets(classrooms=classrooms, today=today)
    site = site_budget(today=today)
    return [budget for budget in (*budgets, *([site] if site else [])) if budget.reached]


def tutor_for_new_session(*, student: User, lesson_provider: str = "", lesson_model: str = "") -> SessionTutor:
    """The provider and model of a new session (the lesson's, the site's, or a fallback of a provider that is
    down), unless a budget is spent: then the offline tutor, or BudgetSpent. The offline tutor costs nothing,
    so a session on it is never held back."""
    provider, model = settings.TUTOR.session_provider_and_model(lesson_provider, lesson_model, usable=provider_usable)
    if provider == OFFLINE or not budgets_reached_for(student=student):
        return SessionTutor(provider, model)
    if over_budget_action() == "refuse":
        raise BudgetSpent(_("This month's tutor budget is spent: no new session can start until next month."))
    return SessionTutor(OFFLINE, settings.TUTOR.live_model(OFFLINE), offline_for_budget=True)
