"""The source document: front matter and Markdown body, read and validated.

A letter has a title, a place, a date and signatories; a press release, a briefing or a
specification may have only a title. Front matter keys the pipeline does not read
(author, version, licence…) are kept as they are and shown with the title.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from ..config import Config
from ..errors import SourceError
from ..files import read_text
from . import anchors, images, markup, signatories
from .signatories import Signatories

# The front matter ends with "---", or with YAML's own end marker "...".
_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)(?:---|\.\.\.)\n", re.DOTALL)
KNOWN = ("title", "place", "date", "slug", "signatories")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # matched whole (fullmatch): no "evil\n"


@dataclass(frozen=True)
class Document:
    """The parsed source: metadata, the block tokens of the body, and signatories."""

    path: Path
    title: str
    place: str | None
    date: dt.date | None
    slug: str
    tokens: list[Token] = field(repr=False)
    env: dict[str, Any] = field(repr=False)
    body_offset: int  # lines before the body (front matter), for references
    signatories: Signatories
    lines: dict[str, int]  # front matter key -> line
    extra: dict[str, str] = field(default_factory=dict)  # other front matter: author, version…
    headings: dict[str, int] = field(default_factory=dict)  # heading id -> its line in the file
    images: images.Images = field(default_factory=lambda: images.Images({}, ()))

    @property
    def has_notes(self) -> bool:
        return any(tok.type == "footnote_open" for tok in self.tokens)


@dataclass(frozen=True)
class _Split:
    meta: dict[str, Any]
    header: str  # the front matter's YAML text
    body: str
    body_offset: int


def _split(path: Path) -> _Split:
    """The front matter (parsed, not yet validated) and the body of the source."""
    text = read_text(path, "source document", signatories.MAX_SOURCE_BYTES)
    return _split_text(path, text)


@lru_cache(maxsize=64)
def _split_text(path: Path, text: str) -> _Split:
    """``_split`` of a text once read (every language's fingerprint asks for the slug)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        raise SourceError("missing front matter: the file must start with a '---' block", path, 1)
    try:
        meta = signatories.load_yaml(match.group(1), path, line_offset=1) or {}
    except SourceError as exc:
        raise SourceError(f"front matter is {exc.message}", path, exc.line or 1) from exc
    if not isinstance(meta, dict):
        raise SourceError("front matter must be a mapping", path, 2)
    return _Split(meta, match.group(1), text[match.end() :], match.group(0).count("\n"))


_COMMENT = re.compile(r"<!--.*?-->\s*", re.DOTALL)


def _without_comments(body: str) -> str:
    """The body with each HTML comment that is a block of its own (a note for editors, as
    ``<!-- END TESTS -->``) blanked, lines kept; any other HTML is still refused."""
    lines = body.split("\n")
    if "<!--" not in body:
        return body
    for tok in markup.block_sniffer().parse(body):
        if tok.type == "html_block" and tok.map and not _COMMENT.sub("", tok.content).strip():
            for number in range(*tok.map):
                lines[number] = ""
    return "\n".join(lines)


def _signatories_path(path: Path, meta: dict[str, Any], config: Config) -> Path:
    name = meta.get("signatories")
    return config.inside((path.parent / name) if isinstance(name, str) else config.root / config.signatories)


def _signatories(path: Path, meta: dict[str, Any], config: Config) -> Signatories:
    """The signatories the front matter names, or the configured file; none where neither is."""
    found = _signatories_path(path, meta, config)
    if "signatories" not in meta and not found.exists():
        return Signatories({}, (), (), found, {})
    return signatories.read(found)


def signatories_path(config: Config) -> Path:
    """The signatories file the source names (cheap: no validation of the rest)."""
    return _signatories_path(config.source_path, _split(config.source_path).meta, config)


def _default_slug(path: Path) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", path.stem.lower())) or "document"


def slug(config: Config) -> str:
    """The document's slug (cheap where it is valid; a full read reports what is wrong)."""
    value = _split(config.source_path).meta.get("slug", _default_slug(config.source_path))
    return value if isinstance(value, str) and _SLUG.fullmatch(value) else read(config).slug


def _text(meta: dict[str, Any], key: str, path: Path, *, required: bool) -> str | None:
    value = meta.get(key)
    if value is None and not required:
        return None
    problem = markup.field_problem(value)
    if problem is not None:
        raise SourceError(f"front matter {key} {problem}", path, 2)
    assert isinstance(value, str)
    return markup.normalise(value)


def _extra(meta: dict[str, Any], path: Path) -> dict[str, str]:
    extra = {}
    for key, value in meta.items():
        if key in KNOWN:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float | dt.date):
            raise SourceError(f"front matter {key!r} must be a text, a number or a date", path, 2)
        extra[str(key)] = str(value)
    return extra


def _date(value: Any, path: Path) -> dt.date | None:
    """The front matter's date: YAML's own (2022-05-10) or quoted ('2022-05-10')."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise SourceError("front matter date must be an ISO date such as 2022-05-10", path, 2)


def _slug_of(meta: dict[str, Any], path: Path) -> str:
    value = meta.get("slug", _default_slug(path))
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
        raise SourceError("slug must be lower-case letters, digits and hyphens", path, 2)
    return value


# Each note is laid out as a float of its own: enough for any briefing, and a bound on the work.
MAX_NOTES = 1000


def read(config: Config) -> Document:
    path = config.source_path
    split = _split(path)
    meta = split.meta
    date = _date(meta.get("date"), path)
    env: dict[str, Any] = {}
    tokens = markup.parser().parse(_without_comments(split.body), env)
    _check_blocks(tokens, path, split.body_offset)
    labels = [str(tok.meta["label"]) for tok in tokens if tok.type == "footnote_open"]
    if len(labels) > MAX_NOTES:
        raise SourceError(f"{len(labels):,} footnotes: a document may have at most {MAX_NOTES:,}", path)
    headings = anchors.assign_heading_ids(tokens, labels)
    return Document(
        path=path,
        title=_text(meta, "title", path, required=True) or "",
        place=_text(meta, "place", path, required=False),
        date=date,
        slug=_slug_of(meta, path),
        tokens=tokens,
        env=env,
        body_offset=split.body_offset,
        signatories=_signatories(path, meta, config),
        lines=_key_lines(split.header, first_line=2),
        extra=_extra(meta, path),
        headings={ident: split.body_offset + line + 1 for ident, line in headings.items()},
        images=images.collect(tokens, path, config.inside, split.body_offset),
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
