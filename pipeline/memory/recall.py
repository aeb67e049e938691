"""Recall: untranslated entries filled from the memory, always fuzzy, with a mark naming where
each text came from. ``update`` stays what msgmerge is and never recalls; ``translate``
recalls first and sends only what is left."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .. import config as config_mod
from ..catalogs import marks, po, safety
from ..catalogs.marks import MARKER, State
from ..config import Config
from ..files import project_lock
from ..source import interface
from . import imported
from . import index as index_mod
from .units import Project, Unit, project_units

PREFIX = f"{MARKER} memory "


@dataclass(frozen=True)
class Recalled:
    """What recall did to one language's catalog."""

    language: str
    path: Path
    exact: int = 0
    near: int = 0
    left: int = 0  # untranslated entries the memory had nothing for
    written: bool = False
    by_origin: dict[str, int] = field(default_factory=dict)
    keys: frozenset[tuple[str | None, str]] = frozenset()  # the entries filled (msgctxt, msgid)


def mark(unit: Unit, plain: bool) -> str:
    """``pipeline: memory reviewed in letter sha=… msgid=…``: where the text came from, how far
    it was trusted there, and the hashes of the text and of the source it translates."""
    where = f"imported from {unit.origin}" if unit.imported else f"{unit.state} in {unit.origin}"
    return f"{PREFIX}{where} {marks.hashes(unit.source, unit.target, plain=plain)}"


# A unit is tried against the rules at most this often per entry: a memory full of texts the
# rules refuse costs a bounded time, not one parse of each of them.
MAX_TRIED = 8


def fits(msgid: str, context: str | None, target: str) -> bool:
    """Whether ``target`` may stand in for ``msgid``, as the entry it fills: the rules every
    catalog entry meets (plain text for an interface string, Markdown otherwise), and for a
    string with {fields} the same fields."""
    plain = context == interface.CONTEXT
    return not safety.problems(msgid, target, plain=plain) and (
        not plain or interface.same_fields(msgid, target)
    )


def _first_fitting(msgid: str, context: str | None, units: Iterable[Unit]) -> Unit | None:
    for tried, unit in enumerate(units):
        if tried >= MAX_TRIED:
            return None
        if fits(msgid, context, unit.target):
            return unit
    return None


class Memory:
    """The memory of one language: the project's units (in memory) and the imported ones (indexed)."""

    def __init__(
        self, units: Iterable[Unit], db: sqlite3.Connection | None, code: str, cutoff: float
    ) -> None:
        self.code = code
        self.cutoff = cutoff
        self.db = db
        self.units = list(units)
        self.by_text: dict[str, list[Unit]] = {}
        for unit in self.units:
            self.by_text.setdefault(unit.source, []).append(unit)

    def exact(self, msgid: str, context: str | None, kind: str | None) -> Unit | None:
        found = [
            u
            for u in self.by_text.get(msgid, [])
            if u.context == context and (u.kind is None or kind is None or u.kind == kind)
        ]
        if self.db is not None:
            found += [u for u in index_mod.exact(self.db, self.code, msgid) if u.context in (None, context)]
        return _first_fitting(msgid, context, sorted(found, key=_preference))

    def near(self, msgid: str, context: str | None) -> Unit | None:
        found = [
            (score, u)
            for u in self.units
            if u.context == context
            and u.source != msgid
            and (score := index_mod.similarity(msgid, u.source, self.cutoff)) > 0
        ]
        if self.db is not None:
            imported = index_mod.near(self.db, self.code, msgid, self.cutoff)
            found += [(s, u) for s, u in imported if u.context in (None, context) and u.source != msgid]
        # Preferred: the most trusted unit, then the most similar one.
        ranked = sorted(found, key=lambda pair: (pair[1].rank, -pair[0], pair[1].origin, pair[1].source))
        return _first_fitting(msgid, context, (u for _, u in ranked))


def _preference(unit: Unit) -> tuple[int, str, str]:
    return (unit.rank, unit.origin, unit.target)


def recall(config: Config, codes: Sequence[str], *, dry_run: bool = False) -> list[Recalled]:
    """Fill the untranslated entries of ``codes`` in this document's catalogs from the memory
    (a dry run writes nothing and takes no lock)."""
    with nullcontext() if dry_run else project_lock(config.root):
        return _recall(config, codes, dry_run)


def _recall(config: Config, codes: Sequence[str], dry_run: bool) -> list[Recalled]:
    project = Project(config_mod.load_documents(config.root))
    found = project.kinds(config)
    index = index_mod.Index(config)
    db = index.open() if imported.files(config) else None
    results = []
    try:
        for code in codes:
            memory = Memory(project_units(project, code), db, code, config.memory_similarity)
            results.append(_recall_one(config, code, memory, found, dry_run))
    finally:
        if db is not None:
            db.close()
    return results


def _recall_one(
    config: Config, code: str, memory: Memory, found: dict[tuple[str | None, str], str], dry_run: bool
) -> Recalled:
    path = config.catalog_path(code)
    catalog = po.read(path, code)
    exact = near = left = 0
    origins: dict[str, int] = {}
    keys = set()
    for entry in catalog.entries():
        if marks.state(entry) is not State.UNTRANSLATED or entry.msgid_plural:
            continue
        plain = entry.msgctxt == interface.CONTEXT
        unit = memory.exact(entry.msgid, entry.msgctxt, found.get((entry.msgctxt, entry.msgid)))
        if unit is not None:
            _fill(entry, unit, plain, previous=None)
            exact += 1
        elif (unit := memory.near(entry.msgid, entry.msgctxt)) is not None:
            _fill(entry, unit, plain, previous=unit.source)
            near += 1
        else:
            left += 1
            continue
        origins[unit.origin] = origins.get(unit.origin, 0) + 1
        keys.add((entry.msgctxt, entry.msgid))
    written = False
    if (exact or near) and not dry_run:
        written = po.save(catalog, "PO-Revision-Date")
    return Recalled(code, path, exact, near, left, written, origins, frozenset(keys))


def _fill(entry: polib.POEntry, unit: Unit, plain: bool, previous: str | None) -> None:
    entry.msgstr = unit.target
    entry.flags = marks.with_fuzzy(entry.flags)
    entry.previous_msgid = previous  # a near match: every editor shows what differs, as msgmerge's
    marks.set_markers(entry, [mark(unit, plain)])
