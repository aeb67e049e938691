"""The imported memory, indexed in SQLite in the cache: rebuilt from the files when they change.

Exact matches are looked up by text. Near matches are found as msgmerge finds its fuzzy
candidates: first the units that share most of the query's words, rarest first (SQLite's
full-text index, ranked by BM25), kept where their length allows the similarity at all; then
the similarity itself on those few (rapidfuzz)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing

from rapidfuzz import fuzz

from .. import languages
from ..config import Config
from ..files import cache_root, read_bytes
from . import imported
from .units import Unit

_SCHEME = 3  # bump when the tables change
_WORD = re.compile(r"\w{3,}")
QUERY_WORDS = 24  # the query's longest words, looked up in the full-text index
CANDIDATES = 160  # the best-ranked units compared in full
EXACT_LIMIT = 16  # units with one text (a file may repeat a text any number of times)


def words(text: str) -> list[str]:
    """A text's distinct words of three letters or more, longest first (the most telling)."""
    return sorted({w.lower() for w in _WORD.findall(text)}, key=lambda w: (-len(w), w))


def bounds(length: int, cutoff: float) -> tuple[int, int]:
    """The lengths another text may have for a similarity of at least ``cutoff`` (0 to 1)."""
    if cutoff <= 0:
        return 0, 1 << 30
    return int(length * cutoff / (2 - cutoff)), int(length * (2 - cutoff) / cutoff) + 1


def similarity(a: str, b: str, cutoff: float) -> float:
    """0 to 1 (0 below ``cutoff``): the share of characters the two texts have in common, in order."""
    return fuzz.ratio(a, b, score_cutoff=cutoff * 100) / 100


def _table(code: str) -> str:
    """The full-text table of one language (a code of the language table: safe as a name)."""
    if code not in languages.TARGET_CODES:
        raise ValueError(code)
    return f"texts_{code}"


class Index:
    """The imported units of one project, read from its memory folder's files."""

    def __init__(self, config: Config) -> None:
        self.config = config
        key = hashlib.sha256(str(config.root.resolve()).encode()).hexdigest()[:16]
        self.path = cache_root() / "memory" / f"{key}.sqlite"
        self.built = False  # whether this run (re)built it from the files

    def _signature(self) -> str:
        """The files as they are: names and contents (a file replaced with one of the same size
        and time still counts as changed)."""
        found = []
        for path in imported.files(self.config):
            digest = hashlib.sha256(read_bytes(path, "memory file", imported.MAX_MEMORY_BYTES)).hexdigest()
            found.append((path.name, digest))
        return json.dumps([_SCHEME, found])

    def open(self) -> sqlite3.Connection:
        """The index, rebuilt first where the files changed since it was built."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        signature = self._signature()
        db = sqlite3.connect(self.path)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()
        except sqlite3.DatabaseError:
            row = None
        if row is not None and row[0] == signature:
            return db
        db.close()
        self._build(signature)
        self.built = True
        return sqlite3.connect(self.path)

    def _build(self, signature: str) -> None:
        fresh = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        fresh.unlink(missing_ok=True)
        with closing(sqlite3.connect(fresh)) as db:
            db.executescript(
                """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE units (id INTEGER PRIMARY KEY, language TEXT, source TEXT, target TEXT,
                                    context TEXT, origin TEXT, length INTEGER);
                """
            )
            unit_id = 0
            tables: set[str] = set()
            for path in imported.files(self.config):
                rows: list[tuple[object, ...]] = []
                texts: dict[str, list[tuple[int, str]]] = {}
                for unit in imported.read(self.config, path).units:
                    unit_id += 1
                    rows.append((unit_id, unit.language, unit.source, unit.target, unit.context,
                                 unit.origin, len(unit.source)))  # fmt: skip
                    texts.setdefault(unit.language, []).append((unit_id, unit.source))
                db.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                for code, found in texts.items():
                    table = _table(code)
                    if table not in tables:
                        db.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(source, content='')")
                        tables.add(table)
                    db.executemany(f"INSERT INTO {table} (rowid, source) VALUES (?, ?)", found)
            db.execute("CREATE INDEX units_text ON units (language, source)")
            db.execute("INSERT INTO meta VALUES ('signature', ?)", (signature,))
            db.commit()
        os.replace(fresh, self.path)


def _unit(row: tuple[str, str, str, str | None, str]) -> Unit:
    language, source, target, context, origin = row
    return Unit(language, source, target, "imported", origin, context)


_COLUMNS = "language, source, target, context, origin"


def exact(db: sqlite3.Connection, code: str, source: str) -> list[Unit]:
    query = f"SELECT {_COLUMNS} FROM units WHERE language = ? AND source = ? ORDER BY id LIMIT {EXACT_LIMIT}"
    return [_unit(r) for r in db.execute(query, (code, source))]


def near(db: sqlite3.Connection, code: str, source: str, cutoff: float) -> Iterator[tuple[float, Unit]]:
    """Units whose text is at least ``cutoff`` similar to ``source``, most similar first."""
    wanted = words(source)[:QUERY_WORDS]
    table = _table(code)
    known = db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    if not wanted or known is None:
        return
    match = " OR ".join(f'"{w}"' for w in wanted)  # \w+ words: nothing in them to escape
    ranked = [
        rowid
        for (rowid,) in db.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?", (match, CANDIDATES)
        )
    ]
    if not ranked:
        return
    low, high = bounds(len(source), cutoff)
    marks = ",".join("?" * len(ranked))
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM units WHERE id IN ({marks}) AND length BETWEEN ? AND ?", (*ranked, low, high)
    ).fetchall()
    scored = [(similarity(source, r[1], cutoff), _unit(r)) for r in rows]
    yield from sorted(((s, u) for s, u in scored if s > 0), key=lambda p: (-p[0], p[1].source))
