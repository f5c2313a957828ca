"""Reads of what the tutor services cost: a month's spend of a class, of a student and of the whole site, and
the costs page's months, classes and students. Sums are done by the database (Sum, TruncMonth); a usage row
with no known price adds nothing to a sum but marks it, so a total that misses a part never reads as whole.

A session counts for the classes its student is enrolled in: a session belongs to a student and a lesson,
and a lesson to no class (it may be assigned to several, or, like a spoken review, to none), while the
review, the class progress and the access policy already take a class's sessions to be its students'.

The sessions of an erased student are gone; what they cost stays as anonymous totals (ErasedSpend, per class and
month, and for the site), added to every sum here so a month's, a class's and the site's spend do not change.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.models import User
from accounts.selectors import BY_NAME
from lessons.models import Classroom, Enrollment
from lessons.selectors.classrooms import classrooms_managed_by

from ..access import learners_visible_to
from ..models import FINISHED, UNFINISHED, ErasedSpend, TutorSession, UsageRecord

MONEY = DecimalField(max_digits=14, decimal_places=6)
MONTHS_SHOWN = 6


@dataclass(frozen=True)
class Spend:
    """Money spent: the sum of what had a price, and whether some usage had none (the sum is then a floor)."""

    usd: Decimal = Decimal(0)
    unpriced: bool = False

    def __add__(self, other: "Spend") -> "Spend":
        return Spend(self.usd + other.usd, self.unpriced or other.unpriced)


def spend_sums(prefix: str = "") -> dict:
    """The annotations of a Spend: `usd` (what had a price) and `unpriced` (how many rows had none)."""
    return {
        "usd": Coalesce(Sum(f"{prefix}cost_usd"), Value(Decimal(0)), output_field=MONEY),
        "unpriced": Count(f"{prefix}pk", filter=Q(**{f"{prefix}cost_usd__isnull": True})),
    }


def _spend(row: dict) -> Spend:
    return Spend(row["usd"], row["unpriced"] > 0)


def month_start(today: dt.date | None = None) -> dt.datetime:
    """The first moment of this month (or of `today`'s), in the site's time zone."""
    day = today or timezone.localdate()
    return timezone.make_aware(dt.datetime(day.year, day.month, 1))


def months_back(count: int, today: dt.date | None = None) -> list[dt.date]:
    """The first days of the last `count` months, oldest first, this month last."""
    day = today or timezone.localdate()
    index = day.year * 12 + day.month - 1
    return [dt.date(n // 12, n % 12 + 1, 1) for n in range(index - count + 1, index + 1)]


def _erased(rows: QuerySet[ErasedSpend]) -> dict[tuple[int | None, dt.date], Spend]:
    """{(class id or None for the site, first day of the month): spend} of erased students."""
    return {(row.classroom_id, row.month): Spend(row.cost_usd, row.unpriced > 0) for row in rows}


def classrooms_spend_this_month(*, classrooms: Iterable[Classroom], today: dt.date | None = None) -> dict[int, Spend]:
    """This month's spend of each of these classes, by class id, in two queries."""
    ids = [classroom.pk for classroom in classrooms]
    start = month_start(today)
    rows = (
        UsageRecord.objects.filter(session__student__enrollments__classroom__in=ids, created_at__gte=start)
        .values("session__student__enrollments__classroom")
        .annotate(**spend_sums())
        .order_by()
    )
    spent = {row["session__student__enrollments__classroom"]: _spend(row) for row in rows}
    erased = _erased(ErasedSpend.objects.filter(classroom__in=ids, month=start.date()))
    return {pk: spent.get(pk, Spend()) + erased.get((pk, start.date()), Spend()) for pk in ids}


def site_spend_this_month(*, today: dt.date | None = None) -> Spend:
    start = month_start(today)
    erased = _erased(ErasedSpend.objects.filter(classroom__isnull=True, month=start.date()))
    used = _spend(UsageRecord.objects.filter(created_at__gte=start).aggregate(**spend_sums()))
    return used + erased.get((None, start.date()), Spend())


@dataclass(frozen=True)
class Held:
    """What the sessions still running hold back of this month's budgets: each its expected cost less what it has
    spent so far (practice/budgets.py), summed for the whole site and for each class."""

    site: Decimal = Decimal(0)
    by_classroom: dict[int, Decimal] = field(default_factory=dict)


def held_this_month(*, today: dt.date | None = None) -> Held:
    """Two queries: the running sessions that hold something, and the classes of their students."""
    sessions = (
        TutorSession.objects.filter(
            status__in=UNFINISHED, reserved_usd__isnull=False, created_at__gte=month_start(today)
        )
        .annotate(used=Coalesce(Sum("usage__cost_usd"), Value(Decimal(0)), output_field=MONEY))
        .values_list("pk", "student_id", "reserved_usd", "used")
    )
    by_student: dict[int, Decimal] = {}
    for _pk, student_id, reserved, used in sessions:
        by_student[student_id] = by_student.get(student_id, Decimal(0)) + max(Decimal(0), reserved - used)
    by_classroom: dict[int, Decimal] = {}
    for classroom_id, student_id in Enrollment.objects.filter(student_id__in=by_student).values_list(
        "classroom_id", "student_id"
    ):
        by_classroom[classroom_id] = by_classroom.get(classroom_id, Decimal(0)) + by_student[student_id]
    return Held(sum(by_student.values(), Decimal(0)), by_classroom)


def _by_month(rows: QuerySet, key: str | None = None) -> dict[tuple[int | None, dt.date], Spend]:
    """{(key, first day of the month): spend} from usage rows grouped by `key` (None: all of them) and month."""
    keys = (key, "month") if key else ("month",)
    grouped = rows.annotate(month=TruncMonth("created_at")).values(*keys).annotate(**spend_sums()).order_by()
    return {(row[key] if key else None, timezone.localtime(row["month"]).date()): _spend(row) for row in grouped}


@dataclass(frozen=True)
class Practice:
    """Sessions started in a month and the time they took: what a month shows where the money is nothing (the
    offline tutor), as much as where it is not."""

    sessions: int = 0
    seconds: int = 0

    def __add__(self, other: "Practice") -> "Practice":
        return Practice(self.sessions + other.sessions, self.seconds + other.seconds)


@dataclass(frozen=True)
class CostRow:
    """One class, one student or the whole site: its spend in each month shown, oldest first, and its practice."""

    label: str
    months: tuple[Spend, ...]
    classroom: Classroom | None = None
    student: User | None = None
    practice: tuple[Practice, ...] = ()

    @property
    def total(self) -> Spend:
        return sum(self.months, Spend())

    @property
    def cells(self) -> list[tuple[Spend, Practice]]:
        return list(zip(self.months, self.practice or (Practice(),) * len(self.months), strict=True))


@dataclass(frozen=True)
class CostsOverview:
    months: tuple[dt.date, ...]
    classrooms: tuple[CostRow, ...]
    students: tuple[CostRow, ...]
    site: CostRow | None  # operators only


def costs_overview(*, user: User, months: int = MONTHS_SHOWN, today: dt.date | None = None) -> CostsOverview:
    """What the user's classes and students cost in each of the last `months` months: a teacher's own
    classes and their students; every class, every student and the whole site for an operator."""
    shown = months_back(months, today)
    since = timezone.make_aware(dt.datetime.combine(shown[0], dt.time()))
    recent = UsageRecord.objects.filter(created_at__gte=since)
    classrooms = list(classrooms_managed_by(user=user).order_by("name", "pk"))
    by_class = _by_month(
        recent.filter(session__student__enrollments__classroom__in=[c.pk for c in classrooms]),
        "session__student__enrollments__classroom",
    )
    erased = _erased(ErasedSpend.objects.filter(month__gte=shown[0]))
    if user.is_operator:
        students = User.objects.filter(pk__in=recent.values("session__student")).order_by(*BY_NAME)
    else:
        enrolled = Enrollment.objects.filter(classroom__teacher=user).values("student")
        students = learners_visible_to(user=user).filter(pk__in=enrolled).order_by(*BY_NAME)
    students = list(students)
    by_student = _by_month(recent.filter(session__student__in=[s.pk for s in students]), "session__student")

    def row_of(spent: dict, key: int | None, *, with_erased: bool = False) -> tuple[Spend, ...]:
        extra = erased if with_erased else {}
        return tuple(spent.get((key, month), Spend()) + extra.get((key, month), Spend()) for month in shown)

    started = TutorSession.objects.filter(started_at__gte=since, status__in=FINISHED)
    enrolled = Enrollment.objects.filter(classroom__in=classrooms).values_list("student_id", "classroom_id")
    rooms_of: dict[int, list[int]] = {}
    for student_id, classroom_id in enrolled:
        rooms_of.setdefault(student_id, []).append(classroom_id)
    ids = set(rooms_of) | {s.pk for s in students}
    practised = _practice_by_month(started if user.is_operator else started.filter(student_id__in=ids), rooms_of)

    def practice_of(key: tuple[str, int | None]) -> tuple[Practice, ...]:
        return tuple(practised.get((*key, month), Practice()) for month in shown)

    site = (
        CostRow(
            label="", months=row_of(_by_month(recent), None, with_erased=True), practice=practice_of(("site", None))
        )
        if user.is_operator
        else None
    )
    return CostsOverview(
        months=tuple(shown),
        classrooms=tuple(
            CostRow(
                c.name, row_of(by_class, c.pk, with_erased=True), classroom=c, practice=practice_of(("class", c.pk))
            )
            for c in classrooms
        ),
        students=tuple(
            CostRow(s.display_name, row_of(by_student, s.pk), student=s, practice=practice_of(("student", s.pk)))
            for s in students
        ),
        site=site,
    )


def _practice_by_month(sessions: QuerySet, rooms_of: dict[int, list[int]]) -> dict[tuple, Practice]:
    """{(kind, key, first day of the month): Practice} for the site, each student and each of their classes, summed
    in Python: a session's seconds are TutorSession.practised_seconds, as every page counts them."""
    found: dict[tuple, Practice] = {}
    for session in sessions.only("student_id", "started_at", "ended_at"):
        month = timezone.localtime(session.started_at).date().replace(day=1)
        one = Practice(1, session.practised_seconds)
        keys = [("site", None), ("student", session.student_id)]
        keys += [("class", room) for room in rooms_of.get(session.student_id, ())]
        for kind, key in keys:
            found[(kind, key, month)] = found.get((kind, key, month), Practice()) + one
    return found


def spend_by_provider(*, months: int = 2, today: dt.date | None = None) -> dict[tuple[str, dt.date], Spend]:
    """{(provider, first day of the month): spend} of the last `months` months, from the usage rows (an erased
    student's spend is kept without its provider, so it is not in these)."""
    start = timezone.make_aware(dt.datetime.combine(months_back(months, today)[0], dt.time()))
    rows = (
        UsageRecord.objects.filter(created_at__gte=start)
        .annotate(month=TruncMonth("created_at"))
        .values("provider", "month")
        .annotate(**spend_sums())
        .order_by()
    )
    return {(row["provider"], _first_day(row["month"])): _spend(row) for row in rows}


def _first_day(month: dt.datetime | dt.date) -> dt.date:
    return month.date() if isinstance(month, dt.datetime) else month
