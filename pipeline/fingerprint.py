"""One fingerprint of everything a language's documents are made from."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import metadata
from pathlib import Path

from . import __version__, fonts, languages
from .config import Config

TEMPLATES = Path(__file__).parent / "templates"


PACKAGE = Path(__file__).parent


def inputs(config: Config, code: str, signatories: Path) -> list[Path]:
    """The files a language's PDF and HTML depend on, the pipeline's own code included."""
    own = sorted(PACKAGE.glob("*.py")) + sorted(TEMPLATES.iterdir())
    files = [config.source_path, signatories, *own]
    if code != languages.SOURCE_CODE:
        files.append(config.catalog_path(code))
    return files


@cache
def _versions() -> dict[str, str]:
    return {
        "pipeline": __version__,
        "fonts": fonts.font_version(),
        "weasyprint": metadata.version("weasyprint"),
        "babel": metadata.version("babel"),
    }


def fingerprint(config: Config, code: str, signatories: Path, options: dict[str, object]) -> str:
    """sha256 over the inputs' bytes, the font and pipeline versions, and the options."""
    digest = hashlib.sha256()
    for path in inputs(config, code, signatories):
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"(missing)")
        digest.update(b"\0")
    digest.update(json.dumps({**_versions(), "lang": code, **options}, sort_keys=True).encode())
    return digest.hexdigest()


def revision(fp: str) -> str:
    """The short identifier printed on every document."""
    return fp[:10]
