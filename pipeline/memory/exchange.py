"""Memory files in and out: TMX 1.4b export per language, and checked imports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import config as config_mod
from ..catalogs import safety
from ..config import Config
from ..errors import MemoryFileError
from ..files import read_bytes, write_if_changed, writes_project
from ..source import interface
from . import imported, tmx
from .units import Project, project_units

# A file with more units the rules refuse than this is no memory: it is refused, checked no further.
MAX_REFUSED = 1000


@dataclass(frozen=True)
class Exported:
    language: str
    path: Path
    units: int
    written: bool


@dataclass(frozen=True)
class ImportReport:
    """What an imported file holds: units per language, and what will never be recalled."""

    source: Path
    path: Path  # where it now lies, in the memory folder
    languages: dict[str, int]
    refused: list[tuple[str, str]]  # (source text, why) of units that break the catalog rules
    skipped: dict[str, int]
    copied: bool


def export(config: Config, codes: list[str] | tuple[str, ...], folder: Path) -> list[Exported]:
    """Every document's translated entries, one TMX file per language, states as properties."""
    project = Project(config_mod.load_documents(config.root))
    folder = config.inside(folder)
    results = []
    for code in codes:
        units = list(project_units(project, code))
        path = folder / f"{code}.tmx"
        written = write_if_changed(path, tmx.write(units, code))
        results.append(Exported(code, path, len(units), written))
    return results


@writes_project
def import_file(config: Config, source: Path) -> ImportReport:
    """Check a TMX file or PO compendium and put it in the memory folder; refuses a file that
    cannot be read, and reports every unit that breaks the rules (never recalled)."""
    if source.suffix.lower() not in imported.SUFFIXES:
        raise MemoryFileError("a memory file is a TMX file (.tmx) or a PO compendium (.po)", source)
    if source.name.startswith("."):
        raise MemoryFileError("a memory file's name may not start with a dot (it would be hidden)", source)
    folder = config.inside(config.root / config.memory_dir)
    target = config.inside(folder / source.name)
    data = read_bytes(source, "memory file", imported.MAX_MEMORY_BYTES)
    reading = imported.parse_file(source, data, imported.origin_name(target, config.root))
    counts: dict[str, int] = {}
    refused = []
    for unit in reading.units:
        why = safety.problems(unit.source, unit.target, plain=unit.context == interface.CONTEXT)
        if why:
            refused.append((unit.source, why[0]))
            if len(refused) > MAX_REFUSED:
                raise MemoryFileError(
                    f"more than {MAX_REFUSED:,} units break the rules a catalog entry meets: refused",
                    source,
                )
        else:
            counts[unit.language] = counts.get(unit.language, 0) + 1
    copied = False
    if source.resolve() != target.resolve():
        if target.exists() and read_bytes(target, "memory file", imported.MAX_MEMORY_BYTES) != data:
            message = f"{target.name} is in the memory folder already, with other content: rename one"
            raise MemoryFileError(message, target)
        copied = write_if_changed(target, data)
    return ImportReport(source, target, dict(sorted(counts.items())), refused, reading.skipped, copied)
