"""The memories a coalition imports: TMX files and PO compendia in the memory folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..catalogs import marks, po
from ..config import Config
from ..errors import MemoryFileError
from ..files import read_bytes
from . import tmx
from .units import Unit, origin_name

# A memory file bigger than this is refused before it is read (100,000 units take about 62 MB;
# reading takes about 7 times the file's size in memory).
MAX_MEMORY_BYTES = 128 * 1024 * 1024
SUFFIXES = (".tmx", ".po")
_FUZZY = "fuzzy (not approved where it comes from)"


@dataclass
class Imported:
    """What one file holds, as units, and what was left out of it (why, and how often)."""

    path: Path
    units: list[Unit]
    skipped: dict[str, int]


def files(config: Config) -> list[Path]:
    """The memory folder's files, in name order (none when there is no folder)."""
    folder = config.inside(config.root / config.memory_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith("."))


def read(config: Config, path: Path) -> Imported:
    """Read one memory file of the memory folder."""
    data = read_bytes(config.inside(path), "memory file", MAX_MEMORY_BYTES)
    return parse_file(path, data, origin_name(path, config.root))


def parse_file(path: Path, data: bytes, origin: str) -> Imported:
    """The units of a TMX file, or of a PO compendium of one language; ``origin`` names it in marks."""
    if path.suffix.lower() == ".tmx":
        try:
            reading = tmx.parse(data)
        except tmx.TMXError as exc:
            raise MemoryFileError(str(exc), path, exc.line) from exc
        units = [Unit(p.language, p.source, p.target, "imported", origin, p.context) for p in reading.pairs]
        return Imported(path, units, reading.skipped)
    return compendium(path, data, origin)


def compendium(path: Path, data: bytes, origin: str) -> Imported:
    catalog = po.parse(path, data, None)
    code = tmx.language_code(catalog.metadata.get("Language", ""))
    if code is None:
        message = "a compendium's header must say its Language (an EU language but English)"
        raise MemoryFileError(message, path, 1)
    units: list[Unit] = []
    skipped: dict[str, int] = {}
    for entry in catalog:
        if entry.obsolete or not entry.msgid or entry.msgid_plural:
            continue
        if not entry.msgstr:
            continue
        if "fuzzy" in entry.flags or marks.state(entry) is marks.State.STALE:
            skipped[_FUZZY] = skipped.get(_FUZZY, 0) + 1
            continue
        units.append(Unit(code, entry.msgid, entry.msgstr, "imported", origin, entry.msgctxt))
    return Imported(path, units, skipped)
