"""The translation catalogs are complete for every language the site offers: no entry untranslated or
fuzzy, the placeholders of each translation those of its English, the compiled .mo files those of the
.po files, and every string marked in the code present (scripts/messages.py, `make messages`)."""

import gettext
import importlib.util
import re
import shutil

import polib
import pytest
from django.conf import settings

from tests.worker import ROOT

PLACEHOLDER = re.compile(r"%\((\w+(?:\.\w+)*)\)[sd]|%[sd]|\{\w*\}")


def _messages_tool():
    spec = importlib.util.spec_from_file_location("messages_tool", ROOT / "scripts" / "messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = _messages_tool()
LANGUAGES = TOOL.translated_languages()
CATALOGS = [(language, domain) for language in LANGUAGES for domain in TOOL.DOMAINS]


def catalog(language: str, domain: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"))


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text) or []) if "%" in text or "{" in text else []


def test_the_site_offers_english_and_its_three_translations():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "fr", "es", "de"]
    assert LANGUAGES == ["fr", "es", "de"]


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_no_entry_is_untranslated_or_fuzzy(language, domain):
    po = catalog(language, domain)
    assert po.metadata["Language"] == language and not po.metadata_is_fuzzy
    assert [e.msgid for e in po if not e.obsolete and not e.translated()] == []
    assert [e.msgid for e in po if e.fuzzy] == []


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_each_translation_keeps_the_placeholders_of_its_english(language, domain):
    wrong = []
    for entry in catalog(language, domain):
        if entry.msgid_plural:
            every = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural))
            for index, text in entry.msgstr_plural.items():
                used = set(placeholders(text))
                if not used <= every or (index > 0 and used != set(placeholders(entry.msgid_plural))):
                    wrong.append((entry.msgid, text))
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            wrong.append((entry.msgid, entry.msgstr))
    assert wrong == []


@pytest.mark.parametrize(("language", "domain"), CATALOGS)
def test_the_compiled_catalog_is_the_po_file(language, domain):
    folder = ROOT / "locale" / language / "LC_MESSAGES"
    with (folder / f"{domain}.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    stale = []
    for entry in catalog(language, domain):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            compiled = {index: translations._catalog.get((key, index)) for index in entry.msgstr_plural}
            if compiled != dict(entry.msgstr_plural):
                stale.append(entry.msgid)
        elif translations._catalog.get(key) != entry.msgstr:
            stale.append(entry.msgid)
    assert stale == [], "run `make messages` to compile the catalogs"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (Debian's gettext package)")
def test_every_string_marked_in_the_code_is_translated(tmp_path):
    """The catalogs are extracted again from a copy of the code: a string added since the last
    `make messages` shows up here as untranslated."""
    copy = TOOL.copy_for_extraction(tmp_path)
    TOOL.refresh(copy)
    left = {str(s.path.relative_to(copy)): s.untranslated + s.fuzzy for s in TOOL.states(copy) if not s.complete}
    assert left == {}, "run `make messages`, translate what it lists, and run it again"
