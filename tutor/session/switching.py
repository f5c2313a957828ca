"""When a live session's connection is replaced. A provider's goAway, or a summary newer than what the connection
started from (where the provider refreshes on a summary), makes a switch due; it happens at the next real pause,
or at its deadline at the latest. A switch for a summary is a fresh one: the next connection starts from the
summaries and the recent turns, not from the resumption handle, so the service holds less. Only a fresh connection
takes a summary in: one resumed with a handle still holds the whole conversation, so a summary it did not start
from keeps a fresh switch due. After a goAway the switch also waits, briefly, for the handle the service sends
right after it, so the next connection resumes with the newest."""

from dataclasses import dataclass

from .signals import SwitchDue

# A summary makes the next connection a fresh one: at the next pause, at the latest this much later.
SUMMARY_SWITCH_WITHIN_SECONDS = 60.0


@dataclass(frozen=True)
class _Plan:
    by: float
    fresh: bool
    handle_by: float | None = None  # not before then, unless a handle comes first


class SwitchPlanner:
    def __init__(self, *, refresh_on_summary: bool) -> None:
        self.refresh_on_summary = refresh_on_summary
        self._plan: _Plan | None = None
        self._summary_through = -1  # the newest summary a fresh connection started from, or one is planned for

    @property
    def by(self) -> float | None:
        """The next moment the runner must look again: the latest moment of the switch that is due, or the end of
        its wait for a handle."""
        if self._plan is None:
            return None
        return min(self._plan.by, self._plan.handle_by) if self._plan.handle_by is not None else self._plan.by

    def due(self, switch: SwitchDue) -> None:
        plan = self._plan or _Plan(switch.by, switch.fresh, switch.handle_by)
        handle_by = max((t for t in (plan.handle_by, switch.handle_by) if t is not None), default=None)
        self._plan = _Plan(min(plan.by, switch.by), plan.fresh or switch.fresh, handle_by)

    def handle_issued(self) -> None:
        """The provider issued a new handle: a switch waiting for one need wait no longer."""
        if self._plan is not None and self._plan.handle_by is not None:
            self._plan = _Plan(self._plan.by, self._plan.fresh)

    def summary_written(self, through_turn: int, *, now: float) -> None:
        """A summary covering turns up to `through_turn` exists: a fresh connection from it is due, if it is newer."""
        if through_turn <= self._summary_through or not self.refresh_on_summary:
            return
        self._summary_through = through_turn
        self.due(SwitchDue(by=now + SUMMARY_SWITCH_WITHIN_SECONDS, fresh=True))

    def started_fresh(self, summary_through: int) -> None:
        """A fresh connection was briefed with the summaries up to `summary_through`."""
        self._summary_through = max(self._summary_through, summary_through)

    def resumed(self, summary_through: int, *, now: float) -> None:
        """A connection resumed with a handle holds the conversation as it was, whatever summary exists: one it did
        not start from makes a fresh connection due (unless one already is)."""
        self.summary_written(summary_through, now=now)

    def ready(self, now: float, *, pause: bool) -> bool:
        """A switch is due and now is the time: a pause (once any wait for a handle is over), or its deadline."""
        if self._plan is None:
            return False
        waited = self._plan.handle_by is None or now >= self._plan.handle_by
        return (pause and waited) or now >= self._plan.by

    def take(self) -> bool:
        """The connection is replaced now, planned or not: True if the next one is to be fresh (a switch for a
        summary is never lost to a reconnection that happens first)."""
        fresh = self._plan is not None and self._plan.fresh
        self._plan = None
        return fresh
