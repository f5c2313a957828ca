"""When a live session's connection is replaced. A provider's goAway, or a summary newer than what the connection
started from (where the provider refreshes on a summary), makes a switch due; it happens at the next real pause,
or at its deadline at the latest. A switch for a summary is a fresh one: the next connection starts from the
summaries and the recent turns, not from the resumption handle, so the service holds less."""

from dataclasses import dataclass

from .signals import SwitchDue

# A summary makes the next connection a fresh one: at the next pause, at the latest this much later.
SUMMARY_SWITCH_WITHIN_SECONDS = 60.0


@dataclass(frozen=True)
class _Plan:
    by: float
    fresh: bool


class SwitchPlanner:
    def __init__(self, *, refresh_on_summary: bool) -> None:
        self.refresh_on_summary = refresh_on_summary
        self._plan: _Plan | None = None
        self._summary_through = -1  # the newest summary the current connection (or the one planned) starts from

    @property
    def by(self) -> float | None:
        """The latest moment of the switch that is due, if one is."""
        return self._plan.by if self._plan else None

    def due(self, switch: SwitchDue) -> None:
        plan = self._plan or _Plan(switch.by, switch.fresh)
        self._plan = _Plan(min(plan.by, switch.by), plan.fresh or switch.fresh)

    def summary_written(self, through_turn: int, *, now: float) -> None:
        """A summary covering turns up to `through_turn` exists: a fresh connection from it is due, if it is newer."""
        if through_turn <= self._summary_through or not self.refresh_on_summary:
            return
        self._summary_through = through_turn
        self.due(SwitchDue(by=now + SUMMARY_SWITCH_WITHIN_SECONDS, fresh=True))

    def started_from(self, summary_through: int) -> None:
        """A new connection was briefed with the summaries up to `summary_through`."""
        self._summary_through = max(self._summary_through, summary_through)

    def ready(self, now: float, *, pause: bool) -> bool:
        """A switch is due and now is the time: a pause, or its deadline."""
        return self._plan is not None and (pause or now >= self._plan.by)

    def take(self) -> bool:
        """The switch happens: True if it is a fresh one."""
        fresh = self._plan is not None and self._plan.fresh
        self._plan = None
        return fresh
