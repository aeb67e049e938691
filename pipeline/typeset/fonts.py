"""The project's faces, and only those: a text face and a code face from PyPI, instanced once
to four static styles each (byte for byte the same on every machine), and a fallback chain of
Debian's Noto files for symbols and other scripts, loaded by exact path.

* text: Noto Serif (``fontpkg-noto-serif``), as "Letter Serif";
* code: JetBrains Mono (``fontpkg-jetbrains-mono``), as "Letter Mono";
* fallbacks: Noto Sans Math, Symbols, Symbols 2, Kannada and Malayalam from
  ``fonts-noto-core`` (``/usr/share/fonts/truetype/noto``), used as they are.

Which of them a page declares depends on what it shows (see ``needed``): the letter, with no
code and no symbol, declares the text face alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import marshal
import os
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from ..errors import FileError, RenderError
from ..files import atomic_write, cache_root

SERIF = "Letter Serif"
MONO = "Letter Mono"
# (file stem, weight, italic)
STYLES: tuple[tuple[str, int, bool], ...] = (
    ("Regular", 400, False),
    ("Italic", 400, True),
    ("Bold", 700, False),
    ("BoldItalic", 700, True),
)
# Bump when instancing changes what it writes (2: timestamps copied from the source).
_SCHEME = 2


@dataclass(frozen=True)
class Face:
    family: str  # the CSS family: ours, never a machine's name
    path: Path
    weight: int = 400
    italic: bool = False


@dataclass(frozen=True)
class _Variable:
    family: str
    package: str  # the PyPI distribution
    module: str
    stem: str  # file stem of the instances
    prefixes: tuple[str, str]  # file name prefix of the upright and italic variable sources
    axes: dict[str, float] = field(default_factory=dict)  # fixed axes besides wght


INSTANCED = (
    _Variable(
        SERIF,
        "fontpkg-noto-serif",
        "fontpkg_noto_serif",
        "NotoSerif",
        ("NotoSerif[", "NotoSerif-Italic["),
        {"wdth": 100},
    ),
    _Variable(
        MONO,
        "fontpkg-jetbrains-mono",
        "fontpkg_jetbrains_mono",
        "JetBrainsMono",
        ("JetBrainsMono[", "JetBrainsMono-Italic["),
    ),
)
DEBIAN_PACKAGE = "fonts-noto-core"
DEBIAN_DIR = Path("/usr/share/fonts/truetype/noto")
# Regular only: no bold exists for Math or Symbols 2; bold text falls back to these as they are.
FALLBACK: tuple[tuple[str, str], ...] = (
    ("Letter Math", "NotoSansMath-Regular.ttf"),  # → ≤ ≧ ∲ ℋ, most of U+2190–22FF
    ("Letter Symbols", "NotoSansSymbols-Regular.ttf"),  # Roman numerals, technical symbols
    ("Letter Symbols2", "NotoSansSymbols2-Regular.ttf"),  # ✓ ★ ♥, dingbats, shapes
    ("Letter Kannada", "NotoSansKannada-Regular.ttf"),  # ಫ
    ("Letter Malayalam", "NotoSansMalayalam-Regular.ttf"),  # ആ
)
FALLBACK_FAMILIES = tuple(family for family, _ in FALLBACK)


@cache
def font_version() -> str:
    """Changes whenever the instanced files could: the font packages, fontTools, the scheme."""
    parts = [f"{v.stem.lower()}-{metadata.version(v.package)}" for v in INSTANCED]
    return "-".join([*parts, f"fonttools-{metadata.version('fonttools')}", f"s{_SCHEME}"])


def cache_dir() -> Path:
    return cache_root() / "fonts" / font_version()


def ttf_dir() -> Path:
    """The instanced files, and nothing else: fontconfig's one folder."""
    return cache_dir() / "ttf"


def _variable_source(spec: _Variable, italic: bool) -> Path:
    files = Path(importlib.import_module(spec.module).ROOT) / "files"
    prefix = spec.prefixes[italic]
    found = sorted(p for p in files.glob("*.ttf") if p.name.startswith(prefix))
    if not found:
        raise FileNotFoundError(f"no {prefix}*.ttf in {files}")
    return found[0]


def instance(source: Path, axes: dict[str, float], out: Path) -> None:
    """One static instance, the same bytes on every machine and every day: fontTools stamps
    ``head.modified`` with the time of saving unless told not to, and a PDF embeds ``head``."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(source)
    created, modified = font["head"].created, font["head"].modified
    static = instancer.instantiateVariableFont(font, axes, updateFontNames=True)
    static["head"].created, static["head"].modified = created, modified
    static.recalcTimestamp = False
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    static.save(tmp)
    os.replace(tmp, out)


def _instanced() -> list[Face]:
    return [
        Face(spec.family, ttf_dir() / f"{spec.stem}-{stem}.ttf", weight, italic)
        for spec in INSTANCED
        for stem, weight, italic in STYLES
    ]


@cache
def faces() -> list[Face]:
    """The eight instanced faces (text and code), made on first use (about 20 s) and cached."""
    done = cache_dir() / "fonts.json"
    result = _instanced()
    if done.exists() and all(face.path.exists() for face in result):
        return result
    ttf_dir().mkdir(parents=True, exist_ok=True)
    specs = {spec.family: spec for spec in INSTANCED}
    for face in result:
        spec = specs[face.family]
        instance(_variable_source(spec, face.italic), {"wght": face.weight, **spec.axes}, face.path)
    atomic_write(done, json.dumps({"version": font_version()}).encode())
    return result


@cache
def fallback_faces() -> list[Face]:
    """The Debian files of the fallback chain, by exact path; a missing one is an Error."""
    found = [Face(family, DEBIAN_DIR / name) for family, name in FALLBACK]
    absent = [f.path for f in found if not f.path.is_file()]
    if absent:
        raise RenderError(
            f"{absent[0]} is missing: the fallback fonts come from Debian's {DEBIAN_PACKAGE} "
            f"(make system installs it; or apt-get install {DEBIAN_PACKAGE})"
        )
    return found


def all_faces() -> list[Face]:
    return [*faces(), *fallback_faces()]


@cache
def _cmap(path: Path) -> frozenset[int]:
    """The code points a face draws. fontTools reads the 13 faces' cmaps (and glyph names) in
    about 0.05 s, in every render worker (bench/render_parts.py): they are kept in the cache,
    under a hash of the face's bytes, as a ``marshal``-ed tuple of ints (checked as such when
    read back)."""
    kept = cache_dir() / "cmap" / f"{path.stem}-{_file_sha256(path)[:20]}.marshal"
    with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
        points = marshal.loads(kept.read_bytes())
        if isinstance(points, tuple) and all(type(p) is int for p in points):
            return frozenset(points)
    from fontTools.ttLib import TTFont

    drawn = frozenset(TTFont(path, lazy=True).getBestCmap())
    with contextlib.suppress(FileError):  # a read-only cache: read from the face each time
        atomic_write(kept, marshal.dumps(tuple(sorted(drawn))))
    return drawn


@cache
def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _family(name: str) -> frozenset[int]:
    """What a family draws in every one of its styles."""
    return _drawn_by_all(tuple(f.path for f in all_faces() if f.family == name))


@cache
def _drawn_by_all(paths: tuple[Path, ...]) -> frozenset[int]:
    return frozenset.intersection(*(_cmap(path) for path in paths))


@cache
def coverage() -> frozenset[int]:
    """Code points some face of the project draws (in every style of that face)."""
    return frozenset().union(*(_family(name) for name in (SERIF, MONO, *FALLBACK_FAMILIES)))


# Characters no font draws, which layout handles itself.
_INVISIBLE = {0x0A, 0x0D, 0x09, 0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}


def missing(text: str) -> list[str]:
    """Characters of ``text`` that no face of the project has, in order of first appearance."""
    have = coverage()
    return [c for c in dict.fromkeys(text) if ord(c) not in have and ord(c) not in _INVISIBLE]


def needed(text: str, code: str) -> list[Face]:
    """The faces a page declares: the text face always, the code face for code, and each
    fallback only for characters the faces before it in the stack lack."""
    chosen = [f for f in faces() if f.family == SERIF or (code and f.family == MONO)]
    covered = _family(SERIF) | (_family(MONO) if code else frozenset())
    wanted = {ord(c) for c in set(text + code)} - covered
    for face in fallback_faces():
        if wanted & _cmap(face.path):
            chosen.append(face)
            wanted -= _cmap(face.path)
    return chosen


def characters_of(face: Face, text: str, code: str) -> str:
    """The characters ``face`` draws on a page (for a web page's subset of it)."""
    if face.family == SERIF:
        return "".join(sorted(set(text + code)))
    drawn = _cmap(face.path)
    return "".join(sorted(c for c in set(code if face.family == MONO else text + code) if ord(c) in drawn))


def stack(first: str) -> tuple[str, ...]:
    """A font-family list: a face of ours, the fallback chain, and (for code) the text face
    last, for the few letters JetBrains Mono lacks (Ĳ, ѝ, polytonic Greek); no generic family."""
    return (first, *FALLBACK_FAMILIES, *((SERIF,) if first != SERIF else ()))


@cache
def digest() -> str:
    """sha256 over every face's file (and fontconfig's configuration): part of each fingerprint."""
    from . import fontconfig

    hashed = hashlib.sha256(font_version().encode())
    for path in [f.path for f in all_faces()]:
        hashed.update(path.name.encode() + b"\0" + bytes.fromhex(_file_sha256(path)))
    # The configuration as written, but for where the cache lies (no input of a document).
    conf = fontconfig.conf_text("$CACHE/ttf", "$CACHE/fc-cache").encode("utf-8")
    hashed.update(b"fonts.conf\0" + hashlib.sha256(conf).digest())
    return hashed.hexdigest()
