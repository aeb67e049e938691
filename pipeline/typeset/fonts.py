"""The one typeface: Noto Serif from PyPI, instanced once to four static styles and cached."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from ..files import atomic_write

FAMILY = "Noto Serif"
# (file stem, weight, italic)
STYLES: tuple[tuple[str, int, bool], ...] = (
    ("Regular", 400, False),
    ("Italic", 400, True),
    ("Bold", 700, False),
    ("BoldItalic", 700, True),
)


@dataclass(frozen=True)
class Face:
    path: Path
    weight: int
    italic: bool


def _package_root() -> Path:
    import fontpkg_noto_serif

    return Path(fontpkg_noto_serif.ROOT)


@cache
def font_version() -> str:
    """Changes whenever the instanced files could: the font package and fontTools."""
    return f"noto-serif-{metadata.version('fontpkg-noto-serif')}-fonttools-{metadata.version('fonttools')}"


def cache_dir() -> Path:
    base = os.environ.get("PIPELINE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pipeline"
    )
    return Path(base) / "fonts" / font_version()


def _variable_source(italic: bool) -> Path:
    files = _package_root() / "files"
    prefix = "NotoSerif-Italic[" if italic else "NotoSerif["
    found = sorted(p for p in files.glob("*.ttf") if p.name.startswith(prefix))
    if not found:
        raise FileNotFoundError(f"no {'italic ' if italic else ''}Noto Serif in {files}")
    return found[0]


def faces() -> list[Face]:
    """The four static faces, instanced on first use (about 15 s) and kept in the cache."""
    folder = cache_dir()
    done = folder / "fonts.json"
    result = [Face(folder / f"NotoSerif-{stem}.ttf", weight, italic) for stem, weight, italic in STYLES]
    if done.exists() and all(face.path.exists() for face in result):
        return result
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    for face in result:
        font = TTFont(_variable_source(face.italic))
        static = instancer.instantiateVariableFont(
            font, {"wght": face.weight, "wdth": 100}, updateFontNames=True
        )
        tmp = face.path.with_suffix(".tmp")
        folder.mkdir(parents=True, exist_ok=True)
        static.save(tmp)
        os.replace(tmp, face.path)
    atomic_write(done, json.dumps({"version": font_version()}).encode())
    return result


@cache
def coverage() -> frozenset[int]:
    """Code points every one of the four faces can draw."""
    from fontTools.ttLib import TTFont

    sets = []
    for face in faces():
        font = TTFont(face.path, lazy=True)
        sets.append(frozenset(font.getBestCmap()))
    return frozenset.intersection(*sets)


# Characters no font draws, which layout handles itself.
_INVISIBLE = {0x0A, 0x0D, 0x09, 0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}


def missing(text: str) -> list[str]:
    """Characters of ``text`` that the typeface lacks, in order of first appearance."""
    have = coverage()
    return list(dict.fromkeys(c for c in text if ord(c) not in have and ord(c) not in _INVISIBLE))
