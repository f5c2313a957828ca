"""What the run asks the database (through the app's models, from the edge host): the students and their
sessions, reports, statuses and stored turns. Imported once Django is set up for the cluster's database."""

import time

from django.conf import settings
from django.db import connection
from django.test import Client

from lessons.services.lessons import lesson_create
from practice.models import ReportStatus, SessionReport, Turn, TutorSession
from practice.services.sessions import session_create
from tests.conftest import lesson_spec, make_user

from .hosts import kill
from .services import Worker


def sessions(count: int, origin: str, tutor: str) -> list[tuple[int, dict[str, str]]]:
    """`count` students, each with a session of a lesson on `tutor` (the provider) and a signed-in cookie."""
    connection.close()  # the run restarts PostgreSQL under this process: a fresh connection
    teacher = make_user("cluster-teacher", "teacher")
    lesson = lesson_create(spec=lesson_spec(provider=tutor, max_minutes=60), author=teacher)
    made = []
    for number in range(count):
        student = make_user(f"cluster-student-{number}")
        session = session_create(student=student, lesson=lesson)
        client = Client()
        client.force_login(student)
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        made.append((session.pk, {"Cookie": cookie, "Origin": origin}))
    return made


def kill_worker_mid_report(session_ids: list[int], worker: Worker, within: float = 60.0) -> dict:
    """Kill -9 the worker the moment one of these sessions' reports is being written (or, if none is seen
    running, once all were written or `within` ran out), and say where each report stood."""
    connection.close()  # the run restarts PostgreSQL under this process: a fresh connection
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = dict(SessionReport.objects.filter(session_id__in=session_ids).values_list("session_id", "status"))
        if ReportStatus.RUNNING in found.values() or (
            len(found) == len(session_ids) and set(found.values()) <= {ReportStatus.READY, ReportStatus.FAILED}
        ):
            break
        time.sleep(0.005)
    kill(worker.process, 9)
    at_kill = dict(SessionReport.objects.filter(session_id__in=session_ids).values_list("session_id", "status"))
    return {"reports_at_the_kill": {str(pk): at_kill.get(pk, "none") for pk in session_ids}}


def reports_written(session_ids: list[int], within: float) -> dict:
    """Seconds from now (the worker is back) until every report is ready, or None when that did not happen."""
    connection.close()  # the run restarts PostgreSQL under this process: a fresh connection
    started = time.monotonic()
    while time.monotonic() - started < within:
        ready = SessionReport.objects.filter(session_id__in=session_ids, status=ReportStatus.READY).count()
        if ready == len(session_ids):
            return {"reports_written_after_worker_back_s": round(time.monotonic() - started, 1)}
        time.sleep(0.5)
    left = dict(SessionReport.objects.filter(session_id__in=session_ids).values_list("session_id", "status"))
    return {"reports_written_after_worker_back_s": None, "reports_left": {str(k): v for k, v in left.items()},
            "waited_s": within}  # fmt: skip


def statuses(session_ids: list[int]) -> dict[int, str]:
    connection.close()  # the run restarts PostgreSQL under this process: a fresh connection
    return dict(TutorSession.objects.filter(pk__in=session_ids).values_list("pk", "status"))


def student_turns(session_ids: list[int]) -> list[tuple[int, str]]:
    connection.close()  # the run restarts PostgreSQL under this process: a fresh connection
    return list(Turn.objects.filter(session_id__in=session_ids, role="student").values_list("session_id", "text"))
