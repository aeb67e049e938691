"""Normalise: catalogs into the project's one canonical form, what msgcat writes at 79 columns.

``update`` keeps the wrap style a file was saved in, so an editor's save is never rewrapped;
this stage (run by the pre-commit hook) rewraps in the translator's own commit instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..errors import FileError
from ..files import replace_if_unchanged, writes_project
from . import po


@dataclass(frozen=True)
class NormaliseResult:
    path: Path
    written: bool


def _language(config: Config, path: Path) -> str | None:
    """The language a catalog path is for (its folder), None for the template."""
    if path.suffix == ".pot":
        return None
    try:
        parts = path.resolve().relative_to((config.root / config.locale_dir).resolve()).parts
    except ValueError:
        parts = ()
    if len(parts) != 3 or parts[1] != "LC_MESSAGES":
        raise FileError("not a catalog of this project (locale/<ll>/LC_MESSAGES/<domain>.po)", path)
    return parts[0]


@writes_project
def normalise(config: Config, paths: list[Path]) -> list[NormaliseResult]:
    """Rewrite each catalog as msgcat writes it by default; a file already so is not touched."""
    results = []
    for path in paths:
        config.inside(path)
        catalog = po.read(path, _language(config, path))
        data = po.serialise(catalog.po, path, po.WRAP)
        if data == catalog.original:
            results.append(NormaliseResult(path, False))
            continue
        replace_if_unchanged(path, data, catalog.original)
        results.append(NormaliseResult(path, True))
    return results
