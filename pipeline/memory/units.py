"""Units of the memory: where they come from, and how far each is trusted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..catalogs import marks, po
from ..catalogs.marks import State
from ..config import Config
from ..source import document
from ..source.segments import segments

# Preferred first: a reviewed unit over an approved one, an imported one, then a draft.
RANKS = {"reviewed": 0, "approved": 1, "imported": 2, "unreviewed": 3}
_STATES = {State.REVIEWED: "reviewed", State.APPROVED: "approved", State.UNREVIEWED: "unreviewed"}


@dataclass(frozen=True)
class Unit:
    """One translated text: ``source`` (English, the msgid form) and ``target`` in ``language``."""

    language: str
    source: str
    target: str
    state: str  # reviewed, approved, unreviewed (the project's), or imported
    origin: str  # the document's name, or the imported file's project-relative path
    context: str | None = None  # msgctxt (interface strings)
    kind: str | None = None  # the block's kind; None for imported units (they match on text)

    @property
    def rank(self) -> int:
        return RANKS[self.state]

    @property
    def imported(self) -> bool:
        return self.state == "imported"


def kinds(config: Config) -> dict[tuple[str | None, str], str]:
    """Each entry's kind, from the document's own segments."""
    doc = document.read(config)
    return {s.key: str(s.kind) for s in segments(doc, config.root)}


class Project:
    """The project's documents, each read once for the kinds of its entries."""

    def __init__(self, documents: list[Config]) -> None:
        self.documents = documents
        self._kinds: dict[str, dict[tuple[str | None, str], str]] = {}

    def kinds(self, config: Config) -> dict[tuple[str | None, str], str]:
        if config.document_name not in self._kinds:
            self._kinds[config.document_name] = kinds(config)
        return self._kinds[config.document_name]


def project_units(project: Project, code: str) -> Iterator[Unit]:
    """Every translated entry of every document in ``code``, with its state. Stale entries are
    left out: their text translates an older source."""
    for config in project.documents:
        path = config.catalog_path(code)
        if not path.exists() or not config.template_path.exists():
            continue
        found = project.kinds(config)
        for entry in po.read(path, code).entries():
            state = _STATES.get(marks.state(entry))
            if state is None or entry.msgid_plural:
                continue
            kind = found.get((entry.msgctxt, entry.msgid))
            yield Unit(code, entry.msgid, entry.msgstr, state, config.document_name, entry.msgctxt, kind)


def origin_name(path: Path, root: Path) -> str:
    """A file as a mark names it: project-relative, one word (nothing that could read as a hash)."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.name
    return re.sub(r"[^\w./-]|=", "_", rel)
