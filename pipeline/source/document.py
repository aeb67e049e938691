"""The source document: front matter and Markdown body, read and validated."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from ..config import Config
from ..errors import SourceError
from ..files import read_text
from . import markup, signatories
from .signatories import Signatories

_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)
FRONT_MATTER_KEYS = ("title", "place", "date", "slug", "signatories")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # matched whole (fullmatch): no "evil\n"


@dataclass(frozen=True)
class Document:
    """The parsed source: metadata, the block tokens of the body, and signatories."""

    path: Path
    title: str
    place: str
    date: dt.date
    slug: str
    tokens: list[Token] = field(repr=False)
    env: dict[str, Any] = field(repr=False)
    body_offset: int  # lines before the body (front matter), for references
    signatories: Signatories
    lines: dict[str, int]  # front matter key -> line


@dataclass(frozen=True)
class _Split:
    meta: dict[str, Any]
    header: str  # the front matter's YAML text
    body: str
    body_offset: int


def _split(path: Path) -> _Split:
    """The front matter (parsed, not yet validated) and the body of the source."""
    text = read_text(path, "source document")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise SourceError("missing front matter: the file must start with a '---' block", path, 1)
    if len(text.encode("utf-8")) > signatories.MAX_SOURCE_BYTES:
        raise SourceError(
            f"over {signatories.MAX_SOURCE_BYTES // 2**20} MB: too large for a source file", path
        )
    try:
        meta = signatories.load_yaml(match.group(1), path, line_offset=1) or {}
    except SourceError as exc:
        raise SourceError(f"front matter is {exc.message}", path, exc.line or 1) from exc
    if not isinstance(meta, dict):
        raise SourceError("front matter must be a mapping", path, 2)
    return _Split(meta, match.group(1), text[match.end() :], match.group(0).count("\n"))


def _signatories_path(path: Path, meta: dict[str, Any], config: Config) -> Path:
    name = meta.get("signatories")
    return config.inside((path.parent / name) if isinstance(name, str) else config.root / config.signatories)


def signatories_path(config: Config) -> Path:
    """The signatories file the source names (cheap: no validation of the rest)."""
    return _signatories_path(config.source_path, _split(config.source_path).meta, config)


def slug(config: Config) -> str:
    """The document's slug (cheap where it is valid; a full read reports what is wrong)."""
    value = _split(config.source_path).meta.get("slug")
    return value if isinstance(value, str) and _SLUG.fullmatch(value) else read(config).slug


def _validate(meta: dict[str, Any], path: Path) -> None:
    unknown = sorted(set(meta) - set(FRONT_MATTER_KEYS))
    if unknown:
        raise SourceError(
            f"unknown front matter key {unknown[0]!r}; known: {', '.join(FRONT_MATTER_KEYS)}", path, 2
        )
    for key in ("title", "place", "slug"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise SourceError(f"front matter needs {key}: a non-empty text", path, 2)
    if not isinstance(meta.get("date"), dt.date):
        raise SourceError("front matter needs date: an ISO date such as 2022-05-10", path, 2)
    if not _SLUG.fullmatch(meta["slug"]):
        raise SourceError("slug must be lower-case letters, digits and hyphens", path, 2)
    for key in ("title", "place"):
        if markup.has_raw_html(meta[key]):
            raise SourceError(f"raw HTML in the front matter's {key}; write Markdown instead", path, 2)


def read(config: Config) -> Document:
    path = config.source_path
    split = _split(path)
    meta = split.meta
    _validate(meta, path)
    env: dict[str, Any] = {}
    tokens = markup.parser().parse(split.body, env)
    _check_blocks(tokens, path, split.body_offset)
    return Document(
        path=path,
        title=markup.normalise(meta["title"]),
        place=markup.normalise(meta["place"]),
        date=meta["date"],
        slug=meta["slug"],
        tokens=tokens,
        env=env,
        body_offset=split.body_offset,
        signatories=signatories.read(_signatories_path(path, meta, config)),
        lines=_key_lines(split.header, first_line=2),
    )


def _check_blocks(tokens: list[Token], path: Path, offset: int) -> None:
    """No raw HTML, and no nesting deeper than layout can take, in any block of the body."""
    for tok in tokens:
        if tok.type != "inline":
            continue
        line = offset + tok.map[0] + 1 if tok.map else None
        if markup.has_raw_html(tok.content):
            raise SourceError("raw HTML in the source; write Markdown instead (footnotes: [^1])", path, line)
        if markup.depth(tok.children or []) > markup.MAX_NESTING:
            message = f"emphasis and links nested over {markup.MAX_NESTING} levels deep; simplify the markup"
            raise SourceError(message, path, line)


def _key_lines(text: str, first_line: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), first_line):
        key = line.split(":", 1)[0].strip()
        if key and key not in lines and not line.startswith((" ", "#")):
            lines[key] = number
    return lines
