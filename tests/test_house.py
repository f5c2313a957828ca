"""The house rules hold: no import circle anywhere, no import hidden inside a function without a reason
beside it, the engine free of Django, and the apps in their layers (pyproject.toml, [tool.importlinter])."""

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _house_report():
    spec = importlib.util.spec_from_file_location("house_report", ROOT / "scripts" / "house_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_import_circle_between_modules_or_packages_and_none_hidden_in_a_function():
    house = _house_report().measure()
    assert (house.module_cycles, house.hidden_cycles, house.package_cycles) == ([], [], [])


def test_an_import_inside_a_function_says_why_beside_it():
    house = _house_report().measure()
    assert [entry for entry in house.inner_imports if not entry[3]] == []


def test_the_import_contracts_are_kept():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "0 broken" in result.stdout
