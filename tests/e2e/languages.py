"""What a page says in which language: the page's own text (leaving out text marked with another language), and
the app's English strings that a language translates differently, to find any left on a page in that language."""

import re

import polib

from tests.worker import ROOT

PLACEHOLDER = re.compile(r"%\(\w+(?:\.\w+)*\)[sd]|%[sd]")
TAG = re.compile(r"<[^>]+>")

# The page's own text: text nodes and the attributes people read, leaving out the lesson's own text
# (marked with its language) and the instructions the tutor services get, which are English on purpose.
PAGE_TEXTS = """() => {
  const lang = document.documentElement.lang;
  const ours = (el) => el && !el.closest('script, style, template, .instructions')
    && (el.closest('[lang]')?.getAttribute('lang') || lang).startsWith(lang);
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    if (ours(walker.currentNode.parentElement)) texts.push(walker.currentNode.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], [data-confirm]')) {
    if (!ours(el)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'data-confirm']) {
      if (el.getAttribute(name)) texts.push(el.getAttribute(name));
    }
  }
  return {texts: texts.map((t) => t.replace(/\\s+/g, ' ').trim()).filter(Boolean), blob: document.body.innerText};
}"""


class EnglishStrings:
    """The app's English strings that a language translates differently, as patterns to look for."""

    def __init__(self, language: str) -> None:
        entries = [
            entry
            for domain in ("django", "djangojs")
            for entry in polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"))
        ]
        translated = {text for e in entries for text in (e.msgstr, *e.msgstr_plural.values())}
        self.exact: set[str] = set()
        self.patterns: list[tuple[str, re.Pattern]] = []
        for entry in entries:
            for english in filter(None, (entry.msgid, entry.msgid_plural)):
                text = " ".join(TAG.sub("", english).split())
                if text in translated or sum(c.isalpha() for c in text) < 4:
                    continue  # the same word in this language (e.g. "Total"), or no word at all
                literal = PLACEHOLDER.split(text)
                if len(literal) == 1:
                    self.exact.add(text)
                elif max(len(part.split()) for part in literal) >= 2:
                    pattern = ".+?".join(re.escape(part) for part in literal)
                    self.patterns.append((english, re.compile(pattern)))

    def found_in(self, texts: list[str], blob: str) -> list[str]:
        blob = " ".join(blob.split())
        found = {text for text in texts if text in self.exact}
        found |= {text for text in self.exact if len(text.split()) >= 3 and text in blob}
        found |= {english for english, pattern in self.patterns if any(pattern.search(t) for t in texts)}
        return sorted(found)
