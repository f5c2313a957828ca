"""A database made before the move to this layout (apps "tutor", "accounts", "lessons" as they were, with a
finished session in it) migrates forward cleanly and keeps its rows; and the models need no new migration."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BEFORE = Path(__file__).with_name("data") / "database_before_the_move.sql"


def manage(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_DEBUG": "true",
        "TUTOR_DATA_DIR": str(data_dir),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def old_database(tmp_path) -> Path:
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        db.executescript(BEFORE.read_text(encoding="utf-8"))
    return tmp_path


def test_a_database_from_before_the_move_migrates_forward_and_keeps_its_rows(old_database):
    migrated = manage("migrate", "--noinput", data_dir=old_database)
    assert migrated.returncode == 0, migrated.stderr
    assert "lessons.0003_learnerprogress_moves_to_practice... OK" in migrated.stdout
    assert manage("migrate", "--check", data_dir=old_database).returncode == 0  # nothing left to apply
    counts = manage(
        "shell",
        "-c",
        "from practice.models import LearnerProgress, Turn, Correction; from accounts.models import User;"
        "from django.contrib.contenttypes.models import ContentType as C;"
        "print(User.objects.count(), Turn.objects.count(), Correction.objects.count(),"
        " LearnerProgress.objects.get().sessions_count, C.objects.get(model='learnerprogress').app_label)",
        data_dir=old_database,
    )
    assert counts.stdout.split()[-5:] == ["4", "2", "1", "1", "practice"], counts.stderr


def test_the_models_need_no_new_migration(tmp_path):
    check = manage("makemigrations", "--check", "--dry-run", data_dir=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
