"""Every Celery task in the code is registered in a worker. The suite runs tasks eagerly, in the process that
imported their modules, so a module missing from CELERY_IMPORTS would pass every other test and fail in a real
worker ("Received unregistered task"); here a fresh interpreter loads the worker's modules the way a worker does
and must find each task the source defines."""

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "lessons", "practice", "live", "config")


def tasks_in_source() -> set[str]:
    """The full names of the functions decorated with @shared_task or @app.task anywhere in the apps."""
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                    _is_task_decorator(decorator) for decorator in node.decorator_list
                ):
                    found.add(f"{module}.{node.name}")
    return found


def _is_task_decorator(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name in ("shared_task", "task")


def tasks_a_worker_registers() -> set[str]:
    script = (
        "import django, json; django.setup();"
        "from config.celery import app; app.loader.import_default_modules();"
        "print(json.dumps(sorted(app.tasks)))"
    )
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return set(json.loads(run.stdout.strip().splitlines()[-1]))


def test_every_task_in_the_code_is_registered_in_a_worker():
    defined = tasks_in_source()
    assert "practice.services.reports.report_write_task" in defined  # the scan finds tasks at all
    assert defined - tasks_a_worker_registers() == set()
