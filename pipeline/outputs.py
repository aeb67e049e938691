"""Where documents go, and the record of what each was made from (for incremental builds)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .config import Config
from .files import write_if_changed

FORMATS = ("pdf", "html")
MANIFEST = ".build.json"


def output_path(config: Config, code: str, slug: str, fmt: str) -> Path:
    return config.output_path / code / f"{slug}-{code}.{fmt}"


def options(config: Config, fmt: str) -> dict[str, object]:
    """The options that change a document's bytes (part of its fingerprint)."""
    return {"format": fmt, "pdf_variant": config.pdf_variant if fmt == "pdf" else None}


def _manifest(config: Config, code: str) -> dict[str, Any]:
    path = config.output_path / code / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_current(config: Config, code: str, slug: str, fmt: str, fp: str) -> bool:
    return _manifest(config, code).get(fmt) == fp and output_path(config, code, slug, fmt).exists()


def record(config: Config, code: str, fmt: str, fp: str) -> None:
    data = _manifest(config, code)
    data[fmt] = fp
    write_if_changed(config.output_path / code / MANIFEST, json.dumps(data, sort_keys=True).encode())
