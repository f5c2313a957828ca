"""What each fault did to the students: turns shown as said, stored, lost, duplicated; how long until live again;
what the students saw."""

from collections import Counter
from dataclasses import dataclass, field

from .students import Student

DISTURBED_AFTER_S = 10.0  # a fault's effects (a close, a status) may reach a student this long after its end


@dataclass
class Phase:
    name: str
    started: float
    ended: float = 0.0
    notes: dict = field(default_factory=dict)


def report(phases: list[Phase], students: list[Student], stored: list[tuple[int, str]]) -> list[dict]:
    """Per phase (from its start to the next one's): the turns the students saw shown as said then, how many of
    them the database holds (none: lost; more than once: duplicated), and what the students were shown."""
    held = Counter(stored)
    rows = []
    bounds = [phase.started for phase in phases[1:]] + [float("inf")]
    for phase, until in zip(phases, bounds, strict=True):
        said = [(s.session_id, text) for s in students for at, text in _said_at(s) if phase.started <= at < until]
        seen = Counter()
        for student in students:
            for at, message in student.seen:
                if phase.started <= at < until:
                    seen.update(_shown(message))
        rows.append({
            "fault": phase.name,
            "turns_sent": len(said),
            "stored": sum(1 for turn in said if held[turn] >= 1),
            "lost": sum(1 for turn in said if held[turn] == 0),
            "duplicated": sum(held[turn] - 1 for turn in said if held[turn] > 1),
            "saw": dict(sorted(seen.items())),
            **phase.notes,
        })  # fmt: skip
    return rows


def back_after(students: list[Student], phase: Phase, until: float) -> dict:
    """For the students the fault reached (a close, a refusal, an error or a status other than live between its
    start and DISTURBED_AFTER_S after its end, before `until`, the next fault): seconds from the fault's end
    until `live` again; for every student still talking, until the tutor answered again (the longest)."""
    live_again, answered_again, reached = [], [], 0
    for student in students:
        if student.stopping:
            continue
        last = min(phase.ended + DISTURBED_AFTER_S, until)
        window = [(at, m) for at, m in student.seen if phase.started <= at <= last]
        trouble = [at for at, m in window if m["type"] in ("close", "refused")
                   or (m["type"] == "error" and m.get("fatal"))
                   or (m["type"] == "status" and m["state"] not in ("live", "switching"))]  # fmt: skip
        since = max(trouble, default=phase.ended)
        if trouble:
            reached += 1
            live = next(
                (at for at, m in student.seen if at >= since and m["type"] == "status" and m["state"] == "live"), None
            )
            live_again.append(None if live is None else max(0.0, live - phase.ended))
        answer = next((at for at, m in student.seen if at >= since and m["type"] == "turn_complete"), None)
        answered_again.append(None if answer is None else max(0.0, answer - phase.ended))
    return {
        "students_reached": reached,
        "live_again_s": _longest(live_again),
        "answered_again_s": _longest(answered_again),
    }


def _is_live(message: dict) -> bool:
    return message["type"] == "status" and message["state"] == "live"


def _longest(values: list[float | None]) -> float | str | None:
    if any(value is None for value in values):
        return "never (for some)"
    return round(max(values), 2) if values else 0.0


def _said_at(student: Student) -> list[tuple[float, str]]:
    """When each typed turn was shown back as said (its first final transcript)."""
    first: dict[str, float] = {}
    for at, m in student.seen:
        if m["type"] == "transcript" and m["role"] == "student" and m["final"] and m["text"] in student.said:
            first.setdefault(m["text"], at)
    return sorted((at, text) for text, at in first.items())


def _shown(message: dict) -> list[str]:
    match message["type"]:
        case "status":
            return [f"status {message['state']}"]
        case "close":
            return [f"close {message['code']}"]
        case "refused":
            return [f"refused {message.get('status') or message.get('error')}"]
        case "error":
            return [f"error {message.get('code')}"]
        case "ended":
            return [f"ended {message.get('reason')}"]
        case _:
            return []
