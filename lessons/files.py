"""Reading and writing lesson files (YAML or JSON), checked against lesson.schema.json.

A bad file raises LessonFileError with every problem found in it, each naming its field and its line
(where the format gives one), before anything is written. The messages are in the reader's language.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema
import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tutor.providers.catalog import CATALOG

from .spec import LessonSpec

SCHEMA_PATH = Path(__file__).with_name("lesson.schema.json")
# A lesson file of a hundred long lessons is well under this; the form's upload limit is the same.
MAX_FILE_BYTES = 1024 * 1024


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: a lesson never needs them, and a few nested aliases expand into
    millions of nodes (a 515-byte file once took 1.6 GB) before validation could refuse anything."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, _("aliases (*name) are not allowed in lesson files: write the value out"), event.start_mark
            )
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, _("anchors (&name) are not allowed in lesson files: write the value out"), event.start_mark
            )
        return super().compose_node(parent, index)


@dataclass(frozen=True)
class FileProblem:
    """One thing wrong in a lesson file: what, at which field, on which line (where the format gives one)."""

    message: str
    field: str = ""
    line: int | None = None

    def __str__(self) -> str:
        line = _("line %(line)d") % {"line": self.line} if self.line else ""
        where = ", ".join(part for part in (self.field, line) if part)
        return f"{self.message} ({where})" if where else self.message


class LessonFileError(Exception):
    """A lesson file that cannot be imported, with every problem found in it, in the order of the file."""

    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


@cache
def lesson_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def parse_lesson_file(text: str) -> list[LessonSpec]:
    """Parse and validate a whole file; either every lesson in it is good or LessonFileError lists every
    problem, each at its own field and line."""
    data = _load(text)
    validator = jsonschema.Draft202012Validator(lesson_schema())
    lines = _LineFinder(text)
    problems = [problem for error in validator.iter_errors(data) for problem in _problems(error, data, lines)]
    problems += _repeated_terms(data, lines)
    if problems:
        raise LessonFileError(_in_file_order(problems))
    return [LessonSpec.from_dict(item) for item in data["lessons"]]


def error_location(text: str, path: list) -> tuple[str, int | None]:
    """The field name and line of a node, for problems found after parsing (by the import service)."""
    return _field_name(path), _LineFinder(text).value_line(path)


def excerpt(text: str, line: int | None, *, around: int = 2) -> list[tuple[int, str, bool]]:
    """The lines around `line` as (number, text, is_the_line), so a page can show where a file went wrong."""
    if not line:
        return []
    lines = text.splitlines()
    first, last = max(1, line - around), min(len(lines), line + around)
    return [(n, lines[n - 1], n == line) for n in range(first, last + 1)]


def dump_lesson_file(specs: list[LessonSpec], *, fmt: str = "yaml") -> str:
    data = {"version": 1, "lessons": [spec.to_dict() for spec in specs]}
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _refused(message: str, line: int | None = None) -> LessonFileError:
    """A file that cannot even be read: one problem, since nothing after it can be checked."""
    return LessonFileError([FileProblem(message=message, line=line)])


def _load(text: str):
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 1024
        raise _refused(_("The file is larger than %(limit)d KiB; split it into several files.") % {"limit": limit})
    too_deep = _refused(_("The file nests lists or fields too deeply to be a lesson file."))
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise _refused(_("Not valid JSON: %(problem)s") % {"problem": exc.msg}, exc.lineno) from exc
        except RecursionError:
            raise too_deep from None
        except ValueError as exc:  # e.g. an integer of more digits than Python converts
            raise _refused(_("Not valid JSON: %(problem)s") % {"problem": exc}) from None
    try:
        return yaml.load(text, Loader=_NoAliasLoader)
    except RecursionError:
        raise too_deep from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark else None
        raise _refused(_("Not valid YAML: %(problem)s") % {"problem": problem}, line) from exc


def _field_name(path: list) -> str:
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def _in_file_order(problems: list[FileProblem]) -> list[FileProblem]:
    """Each problem once, in the order of the file (problems without a line last)."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.line is None, p.line or 0, p.field))


def _repeated_terms(data, lines: "_LineFinder") -> list[FileProblem]:
    """A term twice in one lesson is valid JSON Schema but not a valid lesson (terms are unique): every
    repeat is named at its own line. Lessons whose shape the schema already refused are skipped."""
    lessons = data.get("lessons") if isinstance(data, dict) else None
    problems = []
    for index, lesson in enumerate(lessons if isinstance(lessons, list) else ()):
        vocabulary = lesson.get("vocabulary") if isinstance(lesson, dict) else None
        seen: set[str] = set()
        for position, item in enumerate(vocabulary if isinstance(vocabulary, list) else ()):
            term = item.get("term") if isinstance(item, dict) else None
            if not isinstance(term, str):
                continue
            if term in seen:
                path = ["lessons", index, "vocabulary", position, "term"]
                problems.append(
                    FileProblem(
                        message=_("The term “%(term)s” appears twice in this lesson.") % {"term": term},
                        field=_field_name(path),
                        line=lines.value_line(path),
                    )
                )
            seen.add(term)
    return problems


def _problems(error: jsonschema.ValidationError, data, lines: "_LineFinder") -> list[FileProblem]:
    """One schema error as the problems a teacher reads: an unknown field at its own key's line, every
    other problem at the line of the value it is about."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {})
        return [
            FileProblem(
                message=_("Unknown field: %(field)s") % {"field": key},
                field=_field_name([*path, key]),
                line=lines.key_line([*path, key]),
            )
            for key in error.instance
            if key not in known
        ]
    if error.context:  # anyOf / oneOf: the branch that came closest says the most
        return _problems(jsonschema.exceptions.best_match(error.context), data, lines)
    return [FileProblem(message=_readable(error, data), field=_field_name(path), line=lines.value_line(path))]


_TYPE_NAMES = {
    "string": gettext_lazy("text"),
    "integer": gettext_lazy("a whole number"),
    "number": gettext_lazy("a number"),
    "boolean": gettext_lazy("true or false"),
    "array": gettext_lazy("a list"),
    "object": gettext_lazy("a set of fields"),
}


def _readable(error: jsonschema.ValidationError, data) -> str:
    """The schema's complaint in the teacher's language; the validators this schema uses each have words."""
    path, rule, value = list(error.absolute_path), error.validator, error.instance
    if path and path[-1] == "voice" and rule in ("const", "enum"):
        return _voice_message(error, data, path)
    shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, (dict, list)) else ""
    if rule == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return _("The field %(field)s is missing.") % {"field": missing}
    if rule == "type":
        return _("This should be %(kind)s.") % {
            "kind": _TYPE_NAMES.get(str(error.validator_value), error.validator_value)
        }
    if rule == "enum":
        choices = ", ".join(str(choice) for choice in error.validator_value if choice != "")
        return _("%(value)s is not one of: %(choices)s.") % {"value": shown, "choices": choices}
    if rule == "const":
        return _("This should be %(value)s.") % {"value": json.dumps(error.validator_value)}
    if rule == "minLength" and error.validator_value == 1:
        return _("This may not be empty.")
    if rule == "minItems" and error.validator_value == 1:
        return _("Give at least one.")
    limits = {
        "minLength": ngettext("At least %(limit)d character.", "At least %(limit)d characters.", error.validator_value),
        "maxLength": ngettext("At most %(limit)d character.", "At most %(limit)d characters.", error.validator_value),
        "minItems": ngettext("At least %(limit)d item.", "At least %(limit)d items.", error.validator_value),
        "maxItems": ngettext("At most %(limit)d item.", "At most %(limit)d items.", error.validator_value),
        "minimum": _("At least %(limit)d."),
        "maximum": _("At most %(limit)d."),
    } if isinstance(error.validator_value, int) else {}  # fmt: skip
    if rule in limits:
        return limits[rule] % {"limit": error.validator_value}
    if rule == "pattern" and path and path[-1] in ("language", "text_language", "translations"):
        return _("%(value)s is not a language code: write one such as fr, es-MX or ja-JP.") % {"value": shown}
    return error.message


def _voice_message(error: jsonschema.ValidationError, data, path: list) -> str:
    if error.validator == "const":
        providers = ", ".join(CATALOG.provider_names)
        return _(
            "“%(voice)s” needs a provider: set provider to one of %(providers)s (the site default may change)."
        ) % {
            "voice": error.instance,
            "providers": providers,
        }
    lesson = data
    for part in path[:-1]:
        lesson = lesson[part]
    provider = lesson.get("provider", "")
    return _("“%(voice)s” is not a voice of %(provider)s; choose one of: %(voices)s.") % {
        "voice": error.instance, "provider": provider, "voices": ", ".join(CATALOG.voices(provider)),
    }  # fmt: skip


class _LineFinder:
    """Lines of the nodes of a file, from YAML's node tree (JSON is YAML too), composed once."""

    def __init__(self, text: str) -> None:
        try:
            self.root = yaml.compose(text, Loader=_NoAliasLoader)
        except yaml.YAMLError:
            self.root = None

    def value_line(self, path: list) -> int | None:
        """The 1-based line where the value at `path` starts."""
        node = self._walk(path)
        return node.start_mark.line + 1 if node is not None else None

    def key_line(self, path: list) -> int | None:
        """The line of the key that names the last part of `path` (an unknown field is on its own line,
        not at the start of the lesson it is in)."""
        parent = self._walk(path[:-1])
        if isinstance(parent, yaml.MappingNode):
            for key, _value in parent.value:
                if key.value == path[-1]:
                    return key.start_mark.line + 1
        return None

    def _walk(self, path: list):
        node = self.root
        for part in path:
            if isinstance(node, yaml.MappingNode):
                node = next((value for key, value in node.value if key.value == part), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                return None
        return node
