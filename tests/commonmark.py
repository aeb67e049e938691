"""The CommonMark spec's examples, from the markdown-it-py sdist the Makefile caches (never the network)."""

from __future__ import annotations

import json
import os
import tarfile
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

EXCLUDED_SECTIONS = {"HTML blocks", "Raw HTML"}


def sdist() -> Path:
    version = metadata.version("markdown-it-py")
    base = os.environ.get("PIPELINE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pipeline"
    )
    return Path(base) / "commonmark" / f"markdown_it_py-{version}.tar.gz"


def _member(name: str) -> bytes:
    path = sdist()
    if not path.exists():
        raise RuntimeError(
            f"{path} is missing: `make commonmark` downloads the markdown-it-py sdist "
            "(the spec's examples) once"
        )
    with tarfile.open(path) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith(name))
        handle = archive.extractfile(member)
        assert handle is not None
        return handle.read()


@cache
def examples() -> list[dict[str, Any]]:
    return list(json.loads(_member("tests/test_cmark_spec/commonmark.json")))


def spec_text() -> str:
    return _member("tests/test_cmark_spec/spec.md").decode("utf-8")


_SNIFF = MarkdownIt("commonmark", {"html": True})


def has_raw_html(md: str) -> bool:
    """An HTML block or an inline HTML tag, as CommonMark with HTML on reads it."""
    for tok in _SNIFF.parse(md, {}):
        if tok.type == "html_block" or (
            tok.type == "inline" and any(c.type == "html_inline" for c in tok.children or [])
        ):
            return True
    return False


def eligible() -> list[dict[str, Any]]:
    """The examples outside "HTML blocks" and "Raw HTML" that hold no raw HTML tag."""
    return [
        e for e in examples() if e["section"] not in EXCLUDED_SECTIONS and not has_raw_html(e["markdown"])
    ]
