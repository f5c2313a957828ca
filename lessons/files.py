"""Reading and writing lesson files (YAML or JSON), checked against lesson.schema.json.

A bad file raises LessonFileError naming the field, and the line where the format gives one,
before anything is written.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema
import yaml

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
                None, None, "aliases (*name) are not allowed in lesson files: write the value out", event.start_mark
            )
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "anchors (&name) are not allowed in lesson files: write the value out", event.start_mark
            )
        return super().compose_node(parent, index)


@dataclass
class LessonFileError(Exception):
    message: str
    field: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = " ".join(p for p in (f"at {self.field}" if self.field else "", self._line_text()) if p)
        return f"{self.message} ({where})" if where else self.message

    def _line_text(self) -> str:
        return f"line {self.line}" if self.line else ""


@cache
def lesson_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def parse_lesson_file(text: str) -> list[LessonSpec]:
    """Parse and validate a whole file; either every lesson in it is good or LessonFileError."""
    data = _load(text)
    validator = jsonschema.Draft202012Validator(lesson_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = jsonschema.exceptions.best_match(errors)
        path = list(error.absolute_path)
        raise LessonFileError(message=_readable(error, data), field=_field_name(path), line=_line_of(text, path))
    _check_unique_terms(data, text)
    return [LessonSpec.from_dict(item) for item in data["lessons"]]


def error_location(text: str, path: list) -> tuple[str, int | None]:
    """The field name and line of a node, for errors found after parsing (by the import service)."""
    return _field_name(path), _line_of(text, path)


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


def _load(text: str):
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 1024
        raise LessonFileError(message=f"The file is larger than {limit} KiB; split it into several files")
    too_deep = LessonFileError(message="The file nests lists or objects too deeply to be a lesson file")
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise LessonFileError(message=f"Not valid JSON: {exc.msg}", line=exc.lineno) from exc
        except RecursionError:
            raise too_deep from None
        except ValueError as exc:  # e.g. an integer of more digits than Python converts
            raise LessonFileError(message=f"Not valid JSON: {exc}") from None
    try:
        return yaml.load(text, Loader=_NoAliasLoader)
    except RecursionError:
        raise too_deep from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise LessonFileError(message=f"Not valid YAML: {problem}", line=mark.line + 1 if mark else None) from exc


def _field_name(path: list) -> str:
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def _check_unique_terms(data: dict, text: str) -> None:
    """A term twice in one lesson is valid JSON Schema but not a valid lesson (terms are unique)."""
    for index, lesson in enumerate(data["lessons"]):
        seen: set[str] = set()
        for position, item in enumerate(lesson["vocabulary"]):
            if item["term"] in seen:
                path = ["lessons", index, "vocabulary", position, "term"]
                raise LessonFileError(
                    message=f"The term '{item['term']}' appears twice in this lesson",
                    field=_field_name(path),
                    line=_line_of(text, path),
                )
            seen.add(item["term"])


def _readable(error: jsonschema.ValidationError, data) -> str:
    path = list(error.absolute_path)
    if path and path[-1] == "voice":
        return _voice_message(error, data, path)
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing")
    if error.validator == "additionalProperties":
        return f"Unknown field: {error.message.split('(')[-1].rstrip(')')}"
    return error.message


def _voice_message(error: jsonschema.ValidationError, data, path: list) -> str:
    if error.validator == "const":
        providers = ", ".join(CATALOG.provider_names)
        return f"'{error.instance}' needs a provider: set provider to one of {providers} (the site default may change)"
    lesson = data
    for part in path[:-1]:
        lesson = lesson[part]
    provider = lesson.get("provider", "")
    return f"'{error.instance}' is not a voice of {provider}; choose one of: {', '.join(CATALOG.voices(provider))}"


def _line_of(text: str, path: list) -> int | None:
    """The 1-based line of the node at `path`, found by walking YAML's node tree (JSON is YAML too)."""
    try:
        node = yaml.compose(text, Loader=_NoAliasLoader)
    except yaml.YAMLError:
        return None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            return None
    return node.start_mark.line + 1 if node is not None else None
