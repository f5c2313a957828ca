"""The translation catalogs: refresh them from the code, compile them, and say what is left to translate.

`make messages` runs this after strings were added or changed: it extracts every marked string (Python,
templates, and the scripts' for the JavaScript catalog) into locale/<language>/LC_MESSAGES/ for each
language in settings.LANGUAGES but English, keeps what was translated, compiles the .mo files and lists,
per catalog, the entries still untranslated or fuzzy. tests/test_translations.py runs the same
extraction on a copy of the code and fails while any entry is left.

Needs GNU gettext (xgettext, msgmerge, msgfmt): Debian's `gettext` package.
"""

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import django
import polib
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
# Not the product's strings: the virtualenv (it holds Django's own, translated by Django), tests, tools.
IGNORED = [".venv/*", "venv/*", "tests/*", "bench/*", "scripts/*", "test-artifacts/*", ".data/*", "docs/*"]
DOMAINS = ("django", "djangojs")


@dataclass(frozen=True)
class CatalogState:
    path: Path
    total: int
    untranslated: list[str]
    fuzzy: list[str]

    @property
    def complete(self) -> bool:
        return not (self.untranslated or self.fuzzy)


def translated_languages() -> list[str]:
    """Every language the site offers, but the one its strings are written in."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def refresh(root: Path = ROOT) -> None:
    """makemessages for every language and both domains, run in `root` (the project, or a copy of it)."""
    here = Path.cwd()
    os.chdir(root)  # makemessages extracts from, and writes under, the working directory
    try:
        for domain in DOMAINS:
            call_command(
                "makemessages",
                locale=translated_languages(),
                domain=domain,
                ignore_patterns=IGNORED,
                no_obsolete=True,
                add_location="file",
                verbosity=0,
            )
    finally:
        os.chdir(here)


def compile_catalogs(root: Path = ROOT) -> None:
    here = Path.cwd()
    os.chdir(root)
    try:
        call_command("compilemessages", locale=translated_languages(), ignore_patterns=IGNORED, verbosity=0)
    finally:
        os.chdir(here)


def states(root: Path = ROOT) -> list[CatalogState]:
    result = []
    for language in translated_languages():
        for domain in DOMAINS:
            path = root / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
            catalog = polib.pofile(str(path)) if path.is_file() else polib.POFile()
            entries = [entry for entry in catalog if not entry.obsolete]
            result.append(
                CatalogState(
                    path=path,
                    total=len(entries),
                    untranslated=[e.msgid for e in entries if not e.translated() and not e.fuzzy],
                    fuzzy=[e.msgid for e in entries if e.fuzzy],
                )
            )
    return result


def copy_for_extraction(destination: Path) -> Path:
    """The files makemessages reads and the catalogs it merges into, copied to `destination`."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for name in ("accounts", "config", "lessons", "live", "practice", "tutor", "templates", "static", "locale"):
        shutil.copytree(ROOT / name, destination / name, ignore=skip)
    shutil.copy(ROOT / "manage.py", destination / "manage.py")
    return destination


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    django.setup()
    refresh()
    compile_catalogs()
    left = 0
    for state in states():
        missing = len(state.untranslated) + len(state.fuzzy)
        left += missing
        where = state.path.relative_to(ROOT)
        print(f"{where}: {state.total} entries, {len(state.untranslated)} untranslated, {len(state.fuzzy)} fuzzy")
        for msgid in [*state.untranslated, *state.fuzzy][:20]:
            print(f"    {msgid[:100]!r}")
    print("All catalogs are complete." if not left else f"{left} entries to translate (then run make messages again).")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
