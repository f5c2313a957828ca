"""`make run`'s command: a quiet console whose last lines are the address and the logins, a port of one's
choosing, and a plain answer when the port is taken."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.core.management import CommandError, call_command

from tests.worker import ROOT


def _ctrl_c_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.worker
def test_the_console_is_quiet_and_ends_with_the_address_and_the_logins(tmp_path):
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_DEBUG="true", TUTOR_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.base")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_local", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        # As a terminal starts it: a suite run in the background (`make test &`) ignores Ctrl-C, and so would it.
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )  # fmt: skip
    lines = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip())
        if "Log in as" in line:
            break
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=120)
    shown = [line for line in lines if line.strip()]
    assert shown[-2:] == [
        f"The tutor is running at http://127.0.0.1:{port}/",
        "  Log in as teacher (teacher) or ana, ben, chloe (students), password: speak-freely-2026",
    ]
    console = "\n".join(lines)
    for noise in (".env not found", "celery@", "SecurityWarning", "No hostname was supplied", "Traceback"):
        assert noise not in console
    assert "worker: ready" in console


def test_a_taken_port_says_how_to_choose_another():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=f"make run PORT={port + 1}"):
            call_command("run_local", "--port", str(port))
