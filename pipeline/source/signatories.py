"""The signatories: organisations and people as data, with CLDR territory codes and scopes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from babel import Locale

from ..errors import SourceError
from ..files import read_text
from . import markup


@dataclass(frozen=True)
class Organisation:
    name: str
    where: tuple[str, ...]  # territory codes and scope keys, in the letter's order


@dataclass(frozen=True)
class Individual:
    name: str
    role: str
    affiliation: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Signatories:
    scopes: dict[str, str]  # key -> English label
    organisations: tuple[Organisation, ...]
    individuals: tuple[Individual, ...]
    path: Path
    lines: dict[str, int]  # "scope:KEY" / "role:NAME" -> line, for references

    def territories(self) -> set[str]:
        codes = {w for o in self.organisations for w in o.where if w not in self.scopes}
        return codes | {i.country for i in self.individuals if i.country}


# The source's files are data a person writes: a few hundred kilobytes at most.
MAX_SOURCE_BYTES = 2 * 1024 * 1024


class _NoAliases(yaml.SafeLoader):
    """YAML without anchors and aliases: the source never needs them, and an alias can make
    a few lines expand to gigabytes (the "billion laughs")."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.YAMLError(
                f"line {event.start_mark.line + 1}: an alias (*{event.anchor}); write the value out"
            )
        return super().compose_node(parent, index)


# libyaml, where PyYAML has it (its wheels do): ten times the pure-Python parser's speed, for
# the front matter and signatories every render reads. It composes nodes in C, out of
# ``_NoAliases``'s reach, so the events are scanned for aliases first; a file with an alias or
# an error goes to the pure-Python parser, which reports it.
_FAST: Any = getattr(yaml, "CSafeLoader", None)


def _load(text: str) -> Any:
    # libyaml takes a tab where PyYAML's scanner refuses one: such a text goes the pure-Python
    # way, so a file is valid or not whichever PyYAML a machine has.
    if _FAST is not None and "\t" not in text:
        try:
            aliased = "*" in text and any(
                isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=_FAST)
            )
            if not aliased:
                return yaml.load(text, Loader=_FAST)
        except yaml.YAMLError:
            pass  # the pure-Python parser says what is wrong, and where, in its own words
    return yaml.load(text, Loader=_NoAliases)


def load_yaml(text: str, path: Path, line_offset: int = 0) -> Any:
    """YAML as data, size-bound and alias-free; errors name the file and line."""
    if len(text.encode("utf-8")) > MAX_SOURCE_BYTES:
        raise SourceError(f"over {MAX_SOURCE_BYTES // 2**20} MB: too large for a source file", path)
    try:
        return _load(text)
    except yaml.YAMLError as exc:
        line = yaml_line(exc)
        raise SourceError(
            f"not valid YAML: {yaml_problem(exc)}", path, line + line_offset if line else None
        ) from exc
    except ValueError as exc:  # a date YAML reads but the calendar lacks (2001-02-30), a bad !!int
        raise SourceError(f"not valid YAML: {exc}", path) from exc


def yaml_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None)
    return mark.line + 1 if mark is not None else None


def yaml_problem(exc: yaml.YAMLError) -> str:
    """PyYAML's complaint on one line (its own text spans several, with a drawing)."""
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if not problem:
        return " ".join(str(exc).split())
    return f"{problem} ({context})" if context else str(problem)


def read(path: Path) -> Signatories:
    text = read_text(path, "signatories file", MAX_SOURCE_BYTES)
    data = load_yaml(text, path)
    if not isinstance(data, dict):
        raise SourceError("must be a mapping with scopes, organisations and individuals", path)
    unknown = sorted(set(data) - {"scopes", "organisations", "individuals"})
    if unknown:
        raise SourceError(f"unknown key {unknown[0]!r}", path)
    scopes = data.get("scopes") or {}
    if not isinstance(scopes, dict) or not all(isinstance(k, str) for k in scopes):
        raise SourceError("scopes must map a key to its English label", path)
    for key, label in scopes.items():
        problem = markup.field_problem(label)
        if problem is not None:
            raise SourceError(f"the label of scope {key!r} {problem}", path)
    orgs = tuple(_organisations(data.get("organisations") or [], scopes, path))
    people = tuple(_individuals(data.get("individuals") or [], path))
    return Signatories(dict(scopes), orgs, people, path, _lines(text, data))


def _territory(value: Any, who: str, path: Path) -> str:
    if not isinstance(value, str):
        # YAML 1.1 reads NO (Norway) as false and 419 as a number.
        raise SourceError(f'{who}: {value!r} is not a code; quote it, e.g. "NO" or "419"', path)
    if value not in Locale.parse("en_GB").territories:
        raise SourceError(f"{who}: {value!r} is neither a scope nor a CLDR territory code", path)
    return value


def _organisations(items: Any, scopes: dict[str, str], path: Path) -> list[Organisation]:
    if not isinstance(items, list):
        raise SourceError("organisations must be a list", path)
    found = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise SourceError(f"organisation {i} needs a name", path)
        where = item.get("where") or []
        if not isinstance(where, list):
            raise SourceError(f"{item['name']}: where must be a list", path)
        checked = tuple(w if w in scopes else _territory(w, item["name"], path) for w in where)
        found.append(Organisation(item["name"], checked))
    return found


def _individuals(items: Any, path: Path) -> list[Individual]:
    if not isinstance(items, list):
        raise SourceError("individuals must be a list", path)
    found = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise SourceError(f"individual {i} needs a name", path)
        problem = markup.field_problem(item.get("role"))
        if problem is not None:
            raise SourceError(f"{item['name']}: role {problem}", path)
        country = item.get("country")
        found.append(
            Individual(
                item["name"],
                item["role"],
                item.get("affiliation"),
                _territory(country, item["name"], path) if country is not None else None,
            )
        )
    return found


def _lines(text: str, data: dict[str, Any]) -> dict[str, int]:
    """Where each scope and role is written, for #: references (the YAML has no line API)."""
    rows = text.splitlines()
    lines: dict[str, int] = {}
    for number, line in enumerate(rows, 1):
        stripped = line.strip()
        for key in data.get("scopes") or {}:
            if stripped.startswith(f"{key}:"):
                lines.setdefault(f"scope:{key}", number)
        if stripped.startswith("role:"):
            names = [ln.strip() for ln in rows[: number - 1] if "name:" in ln]
            if names:
                name = yaml.safe_load(names[-1].lstrip("- "))["name"]
                lines.setdefault(f"role:{name}", number)
    return lines
