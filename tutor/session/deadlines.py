"""The clocks of one live session: the lesson's time limit, idleness, and a browser that stays away; which one
ran out, and when the next one may."""

from collections.abc import Callable

from ..config import RunnerConfig


class Deadlines:
    def __init__(self, config: RunnerConfig, clock: Callable[[], float]) -> None:
        self._max_seconds, self._idle, self._grace = config.max_seconds, config.idle_timeout, config.reconnect_grace
        self._clock = clock
        self._started = self._last_activity = clock()
        self._detached_at: float | None = clock()  # no browser until the first attach

    @property
    def elapsed(self) -> float:
        return self._clock() - self._started

    def resume(self, *, elapsed: float) -> None:
        """A session taken up where it stood: its time limit counts what was spent before."""
        self._started = self._clock() - elapsed

    def activity(self) -> None:
        """Somebody said or did something: the session is not idle."""
        self._last_activity = self._clock()

    def attached(self) -> None:
        self._detached_at = None

    def detached(self) -> None:
        self._detached_at = self._clock()

    def ended(self) -> str | None:
        """Why the session must end now, if a clock ran out."""
        now = self._clock()
        if now >= self._started + self._max_seconds:
            return "time_limit"
        if now >= self._last_activity + self._idle:
            return "idle"
        if self._detached_at is not None and now >= self._detached_at + self._grace:
            return "disconnected"
        return None

    def seconds_left(self, *, also: float | None = None) -> float:
        """Until the next clock may run out (or `also`, another moment that matters), never less than 10 ms."""
        deadlines = [self._started + self._max_seconds, self._last_activity + self._idle]
        if self._detached_at is not None:
            deadlines.append(self._detached_at + self._grace)
        if also is not None:
            deadlines.append(also)
        return max(0.01, min(deadlines) - self._clock())
