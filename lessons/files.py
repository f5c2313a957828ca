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

from .spec import LessonSpec

SCHEMA_PATH = Path(__file__).with_name("lesson.schema.json")


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
        raise LessonFileError(message=_readable(error), field=_field_name(path), line=_line_of(text, path))
    return [LessonSpec.from_dict(item) for item in data["lessons"]]


def dump_lesson_file(specs: list[LessonSpec], *, fmt: str = "yaml") -> str:
    data = {"version": 1, "lessons": [spec.to_dict() for spec in specs]}
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _load(text: str):
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise LessonFileError(message=f"Not valid JSON: {exc.msg}", line=exc.lineno) from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise LessonFileError(message=f"Not valid YAML: {problem}", line=mark.line + 1 if mark else None) from exc


def _field_name(path: list) -> str:
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


def _readable(error: jsonschema.ValidationError) -> str:
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing")
    if error.validator == "additionalProperties":
        return f"Unknown field: {error.message.split('(')[-1].rstrip(')')}"
    return error.message


def _line_of(text: str, path: list) -> int | None:
    """The 1-based line of the node at `path`, found by walking YAML's node tree (JSON is YAML too)."""
    try:
        node = yaml.compose(text)
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
