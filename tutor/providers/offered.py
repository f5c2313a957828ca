"""Which models a service offers this site's key, against the models the site is set to call: what `make smoke`
and `manage.py tutor_models` say before a student finds out. Each provider lists its models its own way
(gemini/models.py, openai/models.py); the comparison and its plain words are here."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .catalog import CATALOG, RETIRING_WITHIN_DAYS, Catalog, ModelKind

PROVIDER_NAMES = {"gemini": "Gemini", "openai": "OpenAI"}
# What a model must support for its use, in Gemini's `supportedGenerationMethods` (OpenAI lists none).
GEMINI_METHODS = {"live": "bidiGenerateContent", "text": "generateContent"}


class ModelListError(Exception):
    """The service's list of models could not be read: why, in plain words."""


@dataclass(frozen=True, slots=True)
class Offered:
    """One model the service lists: what it supports (Gemini says), when it shuts down (OpenAI says)."""

    name: str
    methods: frozenset[str] = frozenset()
    shutdown: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Wanted:
    """A model the site is set to call, what for, and where that is set (a setting, or lessons)."""

    model: str
    kind: ModelKind
    use: str


@dataclass(frozen=True, slots=True)
class Finding:
    wanted: Wanted
    problem: str = ""  # why the site cannot call it: a failure
    warning: str = ""  # it works today, but not for long

    @property
    def ok(self) -> bool:
        return not self.problem


def compare(
    provider: str,
    wanted: Iterable[Wanted],
    offered: dict[str, Offered],
    *,
    catalog: Catalog = CATALOG,
    today: dt.date | None = None,
) -> list[Finding]:
    """One finding per wanted model: offered for its use, or why not, with the catalog's replacement if it has one."""
    name, day = PROVIDER_NAMES.get(provider, provider), today or dt.date.today()
    findings = []
    for want in wanted:
        facts = offered.get(want.model)
        replacement = catalog.lifecycle(want.model, day).replacement
        instead = f" Use {replacement}, its replacement." if replacement else ""
        if facts is None:
            problem = (
                f"{want.use} names {want.model}, which {name} does not offer to this key (it lists "
                f"{len(offered)} models, not this one).{instead}"
            )
            findings.append(Finding(want, problem=problem))
            continue
        method = GEMINI_METHODS.get(want.kind) if provider == "gemini" else None
        if method and facts.methods and method not in facts.methods:
            problem = f"{want.use} names {want.model}, which {name} offers but not for {method}."
            findings.append(Finding(want, problem=problem))
            continue
        warning = ""
        if facts.shutdown is not None and (facts.shutdown - day).days <= RETIRING_WITHIN_DAYS:
            warning = f"{name} shuts {want.model} down on {facts.shutdown.isoformat()}.{instead}"
        findings.append(Finding(want, warning=warning))
    return findings
