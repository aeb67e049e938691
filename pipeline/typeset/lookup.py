"""A language's lookup: each segment's text in that language, and why (or the English source)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from .. import languages
from ..catalogs import marks, po, safety
from ..catalogs.marks import State
from ..config import Config
from ..errors import RenderError
from ..source.document import Document
from ..source.segments import segments


@dataclass(frozen=True)
class Use:
    """What a document shows for one segment."""

    text: str
    state: State
    translated: bool  # False: the English source is shown


@dataclass
class Translation:
    """Looks segments up in one catalog; records what had to fall back to English."""

    code: str
    catalog_path: Path | None
    entries: dict[tuple[str | None, str], polib.POEntry] = field(default_factory=dict)
    used: dict[tuple[str | None, str], Use] = field(default_factory=dict)
    catalog: po.Catalog | None = None  # as read: the render's checks read the same, not again
    # Each block's tokens in this language, made once for the PDF and the web page alike
    # (see typeset.markdown.body_html): by the source's own token list, which the entry holds.
    blocks: dict[int, tuple[object, frozenset[str], list[Any]]] = field(default_factory=dict)

    @property
    def is_source(self) -> bool:
        return self.code == languages.SOURCE_CODE

    def text(self, msgid: str, context: str | None = None) -> str:
        return self.use(msgid, context).text

    def use(self, msgid: str, context: str | None = None) -> Use:
        key = (context, msgid)
        if key in self.used:
            return self.used[key]
        if self.is_source:
            result = Use(msgid, State.REVIEWED, True)
        else:
            entry = self.entries.get(key)
            st = marks.state(entry) if entry is not None else State.UNTRANSLATED
            if entry is not None and (st.published or st is State.UNREVIEWED):
                found = safety.entry_problems(entry)
                if found:
                    raise RenderError(
                        f"{found[0]}; entry {po.short(msgid, 50)!r}", self.catalog_path, entry.linenum
                    )
                result = Use(entry.msgstr, st, True)
            else:
                # A stale translation can state an old fact: print the source instead.
                result = Use(msgid, st, False)
        self.used[key] = result
        return result

    def fallbacks(self) -> list[tuple[str, State]]:
        return [(k[1], u.state) for k, u in self.used.items() if not u.translated and not self.is_source]

    def unreviewed(self) -> int:
        return self.count(State.UNREVIEWED)

    def count(self, state: State) -> int:
        """How many of the segments shown so far are in ``state``."""
        return sum(1 for u in self.used.values() if u.state is state)

    def line_of(self, msgid: str, context: str | None = None) -> int | None:
        entry = self.entries.get((context, msgid))
        return entry.linenum if entry is not None else None


def load(config: Config, code: str) -> Translation:
    if code == languages.SOURCE_CODE:
        return Translation(code, None)
    path = config.catalog_path(code)
    catalog = po.read(path, code)
    entries = {(e.msgctxt, e.msgid): e for e in catalog.entries()}
    return Translation(code, path, entries, catalog=catalog)


def missing_segments(doc: Document, config: Config, translation: Translation) -> int:
    """How many segments of the source its catalog does not have yet (update not run)."""
    if translation.is_source:
        return 0
    keys = {seg.key for seg in segments(doc, config.root)}
    return len(keys - set(translation.entries))
