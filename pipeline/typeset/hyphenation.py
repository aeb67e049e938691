"""Hyphenation for Finnish and Irish, which Pyphen lacks: TeX's hyph-utf8 patterns.

The patterns come from Debian's ``texlive-lang-european`` package (hyph-utf8), fetched and
unpacked at set-up (``make hyphenation``; never at render time, never vendored) and turned into
the libhyphen ``.dic`` files Pyphen reads, in the cache. Exceptions (``.hyp.txt``) become
patterns of the highest levels, so they win as in TeX. WeasyPrint looks dictionaries up
through Pyphen's registry: ``register`` adds ours before a render, in every process that
renders. No patterns exist for Maltese: it stays ragged-right.

Finnish: hyph-fi, (C) 1986-1989 Kauko Saarinen, "patterns may be freely distributed".
Irish: hyph-ga, (C) 2004-2015 Kevin P. Scannell, GPL-2.0-or-later or MIT, at the user's choice.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import re
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import FileError
from ..files import atomic_write, cache_root
from ..languages import Language

PACKAGE = "texlive-lang-european"
PATTERNS = {"fi": "hyph-fi", "ga": "hyph-ga"}
# (left, right): the fewest letters before and after a break, from each file's hyphenmins.
MINIMUMS = {"fi": (2, 2), "ga": (2, 3)}
_TXT = "usr/share/texlive/texmf-dist/tex/generic/hyph-utf8/patterns/txt"


def folder() -> Path:
    return cache_root() / "hyphenation"


def dictionary(code: str) -> Path | None:
    """The dictionary of ``code`` made at set-up, if this machine has it."""
    if code not in PATTERNS:
        return None
    path = folder() / f"hyph_{code}.dic"
    return path if path.is_file() else None


def hyphenates(lang: Language) -> bool:
    """Whether the PDF of ``lang`` is justified and hyphenated: where a dictionary exists (Pyphen's,
    or ours made at set-up). Justified text without hyphenation opens rivers: ragged-right then."""
    return lang.hyphenation is not None or dictionary(lang.code) is not None


def limits(code: str) -> str:
    """CSS ``hyphenate-limit-chars``: the shortest word broken, and the letters kept each side."""
    left, right = MINIMUMS.get(code, (2, 2))
    return f"{left + right + 1} {left} {right}"


def register() -> None:
    """Make our dictionaries known to Pyphen (and so to WeasyPrint) in this process, and have
    Pyphen read every dictionary through the parsed-patterns cache."""
    import pyphen

    for code in PATTERNS:
        path = dictionary(code)
        if path is not None:
            pyphen.LANGUAGES[code] = path
            pyphen.LANGUAGES_LOWERCASE[code] = code
    pyphen.HyphDict = _parsed_once()  # Pyphen makes its dictionaries through this name


def digest() -> str:
    """The dictionaries' bytes, for the fingerprint ("none" for one this machine lacks)."""
    hashed = hashlib.sha256()
    for code in sorted(PATTERNS):
        path = dictionary(code)
        hashed.update(code.encode() + b"\0" + (path.read_bytes() if path else b"none") + b"\0")
    return hashed.hexdigest()


def exception_pattern(word: str) -> str:
    """A TeX exception (``ta-ble``) as a libhyphen pattern that overrides every other: odd
    (9) where the word may break, even (8) everywhere else."""
    letters = word.split("-")
    out = "."
    for i, part in enumerate(letters):
        for j, char in enumerate(part):
            out += char
            last_of_part = j == len(part) - 1
            if last_of_part and i < len(letters) - 1:
                out += "9"
            elif not (last_of_part and i == len(letters) - 1):
                out += "8"
    return out + "."


def to_dic(patterns: str, exceptions: str) -> str:
    """A libhyphen dictionary (UTF-8) from hyph-utf8's pattern and exception lists."""
    lines = ["UTF-8"]
    lines += [p for p in patterns.split() if p and not p.startswith("%")]
    lines += [exception_pattern(w.lower()) for w in exceptions.split() if w and not w.startswith("%")]
    return "\n".join(lines) + "\n"


def install() -> list[Path]:
    """Fetch Debian's package, unpack it, and write the dictionaries (set-up only)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        fetch = ["apt-get", "download", "-qq", PACKAGE]
        if subprocess.run(fetch, cwd=work, capture_output=True, check=False).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], check=True)  # no package lists yet
            subprocess.run(fetch, cwd=work, check=True, capture_output=True)
        [deb] = work.glob(f"{PACKAGE}_*.deb")
        subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "x")], check=True)
        source = work / "x" / _TXT
        made = []
        for code, name in PATTERNS.items():
            patterns = (source / f"{name}.pat.txt").read_text(encoding="utf-8")
            hyp = source / f"{name}.hyp.txt"
            exceptions = hyp.read_text(encoding="utf-8") if hyp.exists() else ""
            path = folder() / f"hyph_{code}.dic"
            atomic_write(path, to_dic(patterns, exceptions).encode("utf-8"))
            made.append(path)
        tex = work / "x" / _TXT.replace("/txt", "/tex")
        for name in PATTERNS.values():
            shutil.copy(tex / f"{name}.tex", folder() / f"{name}.tex")  # the licence and authors
        version = re.sub(r"^.*?_(.*)_all\.deb$", r"\1", deb.name)
        atomic_write(folder() / "SOURCE", f"Debian {PACKAGE} {version}\n".encode())
    return made


# -- parsed patterns, kept ---------------------------------------------------------------------
# Pyphen parses a dictionary's patterns in Python once a process: 1.1 s for Hungarian's 105,000,
# 1.3 s for German's, 3.6 s for all 24 languages. Each render worker would pay that again.
# The parsed patterns are kept in the cache instead, in ``marshal`` (plain dicts, tuples, ints
# and strings, nothing that runs code), under a hash of the dictionary's bytes and of the format:
# a changed dictionary, Pyphen or Python is parsed anew. Reading one back takes a tenth of the time.
# The file opens with the sha256 of what follows: a file cut short or changed is parsed anew,
# and one that is whole needs no check of each of its 100,000 values (that check was most of
# the time a read back took).
_FORMAT = 2
_MAGIC = b"pipeline parsed patterns\0"


def parsed_path(path: Path, data: bytes) -> Path:
    """Where the parsed patterns of the dictionary at ``path`` (whose bytes are ``data``) are kept."""
    import pyphen

    stamp = f"{_FORMAT} {pyphen.__version__} {marshal.version} {sys.version_info[:2]}".encode()
    key = hashlib.sha256(stamp + b"\0" + data).hexdigest()[:20]
    return folder() / "parsed" / f"{path.stem}-{key}.marshal"


@cache
def _parsed_once() -> type:
    import pyphen

    class ParsedOnce(pyphen.HyphDict):
        """Pyphen's dictionary, its patterns read back from the cache where they were parsed before."""

        def __init__(self, path: Path) -> None:
            path = Path(path)
            data = path.read_bytes()
            kept = parsed_path(path, data)
            if _restore(self, kept, pyphen.DataInt):
                return
            super().__init__(path)
            with contextlib.suppress(OSError, FileError):  # a full or read-only cache: parsed each time
                _keep(self, kept)

    return ParsedOnce


def _plain(value: Any) -> Any:
    """A pattern value as marshal keeps it: an int, or (int, change, index, cut) for Pyphen's
    ``DataInt`` of a nonstandard break (Hungarian "ssz" breaks as "sz-sz")."""
    data = getattr(value, "data", None)
    return (int(value), *data) if data else int(value)


def _keep(hyph: Any, kept: Path) -> None:
    patterns = {
        key: (start, tuple(_plain(v) for v in values)) for key, (start, values) in hyph.patterns.items()
    }
    special = tuple(key for key, (_, values) in patterns.items() if any(isinstance(v, tuple) for v in values))
    payload = marshal.dumps((_FORMAT, hyph.maxlen, patterns, special))
    atomic_write(kept, _MAGIC + hashlib.sha256(payload).digest() + payload)


def _restore(hyph: Any, kept: Path, data_int: type) -> bool:
    """Fill ``hyph`` from the kept patterns; False where there are none, or they are not whole."""
    try:
        raw = kept.read_bytes()
        digest, payload = raw[len(_MAGIC) : len(_MAGIC) + 32], raw[len(_MAGIC) + 32 :]
        if not raw.startswith(_MAGIC) or hashlib.sha256(payload).digest() != digest:
            return False
        form, maxlen, patterns, special = marshal.loads(payload)
        if form != _FORMAT or not isinstance(maxlen, int) or not isinstance(patterns, dict):
            return False
        for key in special:  # the few nonstandard breaks, back as Pyphen's DataInt
            start, values = patterns[key]
            patterns[key] = (
                start,
                tuple(data_int(v[0], v[1:]) if isinstance(v, tuple) else v for v in values),
            )
    except (OSError, EOFError, ValueError, TypeError, IndexError, KeyError):
        return False
    hyph.patterns, hyph.cache, hyph.maxlen = patterns, {}, maxlen
    return True
