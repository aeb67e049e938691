"""Build state, in one place: what a document is made from, where it goes, what the last render recorded.

Every record is keyed by document (its gettext domain) and language, so that
one document's render never touches another's state.
"""

from __future__ import annotations

import ctypes
import dataclasses
import hashlib
import json
import stat
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import languages
from ..config import Config
from ..errors import FileError
from ..files import read_bytes, read_text, write_if_changed
from ..source import document
from ..typeset import fonts, hyphenation
from ..version import __version__

FORMATS = ("pdf", "html")
PACKAGE = Path(__file__).resolve().parent.parent
STATE_DIR = ".build"


# -- where documents go -----------------------------------------------------------


# Every path is checked where it is made: a link in output/ (output/de -> elsewhere) is refused.


def output_path(config: Config, code: str, slug: str, fmt: str) -> Path:
    return config.inside(config.output_path / code / f"{slug}-{code}.{fmt}")


def proof_path(config: Config, code: str, slug: str) -> Path:
    return config.inside(config.output_path / code / f"{slug}-{code}-proof.pdf")


def index_paths(config: Config) -> tuple[Path, Path]:
    """The download page and its checksums."""
    return config.inside(config.output_path / "index.html"), config.inside(config.output_path / "SHA256SUMS")


# -- what a document is made from ---------------------------------------------------


# Settings that never reach a document's bytes. Every other one is in the fingerprint: a new
# setting counts until someone shows it does not (stale documents are worse than a re-render).
_NOT_IN_DOCUMENTS = frozenset(
    {
        "jobs",
        "formality",
        "formality_per_language",
        "model_type",
        "bugs_address",
        "mass_approval_share",
        # The project's other documents and its memory change no byte of this one.
        "name",
        "documents",
        "memory_dir",
        "memory_similarity",
        "project_name",
    }
)


def options(config: Config, fmt: str) -> dict[str, object]:
    """The options that change a document's bytes (part of its fingerprint)."""
    settings = {
        f.name: getattr(config, f.name)
        for f in dataclasses.fields(config)
        if f.name != "root" and f.name not in _NOT_IN_DOCUMENTS
    }
    if fmt != "pdf":
        settings.pop("pdf_variant")
    return {"format": fmt, "settings": settings}


def own_files() -> list[tuple[str, Path]]:
    """Every module and template of the package, by package-relative path (listed once a
    process: their contents are hashed anew whenever they change)."""
    return list(_own_files(PACKAGE))


@cache
def _own_files(package: Path) -> tuple[tuple[str, Path], ...]:
    found = [p for p in package.rglob("*") if p.is_file() and (p.suffix == ".py" or "templates" in p.parts)]
    found = [p for p in found if "__pycache__" not in p.parts]
    return tuple(sorted((p.relative_to(package).as_posix(), p) for p in found))


_IMAGES: dict[tuple[Path, bytes], tuple[tuple[str, Path], ...]] = {}


def _images(config: Config) -> tuple[tuple[str, Path], ...]:
    """The document's images, by the source's bytes: a fingerprint of every language needs
    them, and reading the whole document (signatories and all) each time cost 2 s."""
    path = config.source_path
    key = (path, _file_digest(path))
    if key not in _IMAGES:
        shown = document.read(config).images.shown
        _IMAGES[key] = tuple((src, image.path) for src, image in sorted(shown.items()))
    return _IMAGES[key]


def inputs(config: Config, code: str, signatories: Path) -> list[tuple[str, Path]]:
    """The files a language's documents depend on, each with the name it is hashed under."""
    files = [("source", config.source_path), ("signatories", signatories)]
    files += [(f"image:{src}", path) for src, path in _images(config)]
    files += [(f"pipeline/{name}", path) for name, path in own_files()]
    if code != languages.SOURCE_CODE:
        files.append(("catalog", config.catalog_path(code)))
    return files


def digests(paths: tuple[Path, ...]) -> bytes:
    """The files' sha256s, one after another (each read again only when it changed)."""
    return b"".join(_file_digest(path) for path in paths)


def source_stamp(config: Config, images: tuple[Path, ...]) -> bytes:
    """The digests of what a read of the document depends on: the source, its signatories and
    ``images`` (the ones it shows), in that order."""
    return digests((config.source_path, document.signatories_path(config))) + digests(images)


_HASHED: dict[tuple[Path, int, int], bytes] = {}


def _file_digest(path: Path) -> bytes:
    """A file's sha256, read again only when its size or modification time changed (a render
    of every language hashes the package's own files once, not 72 times)."""
    try:
        info = path.stat()
    except OSError:
        return b"(missing)"
    if not stat.S_ISREG(info.st_mode):  # from the same stat: one system call a file
        return b"(missing)"
    key = (path, info.st_mtime_ns, info.st_size)
    if key not in _HASHED:
        _HASHED[key] = hashlib.sha256(read_bytes(path)).digest()
    return _HASHED[key]


@cache
def _versions() -> dict[str, str]:
    return {
        "pipeline": __version__,
        "fonts": fonts.digest(),  # every face's file, the fallbacks' included, and fonts.conf
        "weasyprint": metadata.version("weasyprint"),
        "babel": metadata.version("babel"),
        "pyphen": metadata.version("pyphen"),
        "hyphenation": hyphenation.digest(),  # Finnish and Irish, made at set-up
        "fonttools": metadata.version("fonttools"),
        # Debian's, not pinned by the lock file: a new Pango or HarfBuzz can move a line break.
        "pango": _library_version(("libpango-1.0.so.0", "libpango-1.0.so"), "pango_version_string"),
        "harfbuzz": _library_version(("libharfbuzz.so.0", "libharfbuzz.so"), "hb_version_string"),
    }


def _library_version(names: tuple[str, ...], function: str) -> str:
    """A system library's own version string, read without WeasyPrint (status stays light)."""
    for name in names:
        try:
            library = ctypes.CDLL(name)
        except OSError:
            continue
        version = getattr(library, function)
        version.restype = ctypes.c_char_p
        return str(version().decode("ascii", "replace"))
    return "missing"


def _inputs_hash(config: Config, code: str, signatories: Path) -> Any:
    digest = hashlib.sha256()
    for name, path in inputs(config, code, signatories):
        digest.update(name.encode() + b"\0" + _file_digest(path) + b"\0")
    return digest


def _finish(digest: Any, code: str, opts: dict[str, object]) -> str:
    digest.update(json.dumps({**_versions(), "lang": code, **opts}, sort_keys=True).encode())
    return str(digest.hexdigest())


def fingerprint(config: Config, code: str, signatories: Path, opts: dict[str, object]) -> str:
    """sha256 over the inputs' bytes, the font and pipeline versions, and the options."""
    return _finish(_inputs_hash(config, code, signatories), code, opts)


def fingerprints(config: Config, code: str, formats: tuple[str, ...]) -> dict[str, str]:
    """Per format, the fingerprint of everything its document is made from (the inputs read once)."""
    base = _inputs_hash(config, code, document.signatories_path(config))
    return {fmt: _finish(base.copy(), code, options(config, fmt)) for fmt in formats}


def revision(config: Config, code: str) -> str:
    """The short identifier a language's documents show: the same on its PDF, HTML and the index."""
    return fingerprint(config, code, document.signatories_path(config), {})[:10]


# -- what the last render recorded ---------------------------------------------------


def record_path(config: Config, code: str) -> Path:
    return config.inside(config.output_path / STATE_DIR / config.domain / f"{code}.json")


RECORD_BYTES = 64 * 1024


def recorded(config: Config, code: str) -> dict[str, Any]:
    """What the last render recorded; nothing where the record is missing or not one we wrote."""
    try:
        data = json.loads(read_text(record_path(config, code), "build record", RECORD_BYTES))
    except (FileError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_current(config: Config, code: str, slug: str, fmt: str, fp: str) -> bool:
    return recorded(config, code).get(fmt) == fp and output_path(config, code, slug, fmt).exists()


def up_to_date(config: Config, code: str, formats: tuple[str, ...]) -> bool:
    """Whether every document of ``code`` was made from today's inputs (reads no catalog)."""
    slug = document.slug(config)
    return all(
        is_current(config, code, slug, fmt, fp) for fmt, fp in fingerprints(config, code, formats).items()
    )


def record(config: Config, code: str, fmt: str, fp: str) -> None:
    data = recorded(config, code)
    data[fmt] = fp
    write_if_changed(record_path(config, code), json.dumps(data, sort_keys=True).encode())


def index_key(config: Config, codes: list[str], template: Path) -> str:
    """What the download page is made from: each language's revision and what was rendered from it."""
    digest = hashlib.sha256()
    for code in codes:
        digest.update(revision(config, code).encode())
        digest.update(json.dumps(recorded(config, code), sort_keys=True).encode())
    digest.update(template.read_bytes())
    return digest.hexdigest()


def index_stamp_path(config: Config) -> Path:
    return config.inside(config.output_path / STATE_DIR / "index.key")
