"""A msgid as XML for machine translation, and back: inline Markdown <-> tags DeepL keeps.

Emphasis, strong emphasis and link text become paired tags (``<em id="1">``,
``<strong id="2">``, ``<a id="3">``): their text is translated and may move.
Everything that must come back untouched becomes an empty placeholder
``<x id="4"/>`` (``x`` is in :data:`IGNORE_TAGS`): footnote references, code
spans, hard line breaks, autolinks, images and, for brace-format strings,
``{name}`` fields. Link targets and placeholder contents stay in a side table
and are never sent.

Decoding writes the result back in the msgid normal form
(:func:`markup.to_markdown`) and lists every way the markup did not survive;
a result with problems is still returned so that a person can repair it.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from xml.sax.saxutils import escape

from markdown_it.token import Token

from ..source import markup
from .pieces import IGNORE_TAGS, PLACEHOLDER, Decoded, Encoded, Piece
from .xml_builder import Builder

__all__ = ["IGNORE_TAGS", "Decoded", "Encoded", "Piece", "decode", "encode"]

_PAIRED = {"em_open": "em", "strong_open": "strong", "link_open": "link"}
_BRACE = re.compile(r"\{\w+\}")


# -- encoding ------------------------------------------------------------------


class _Encoder:
    """Walks a msgid's inline tokens once, writing the XML and recording each piece of markup."""

    def __init__(self, children: list[Token], brace_format: bool) -> None:
        self.children = children
        self.brace_format = brace_format
        self.out: list[str] = []
        self.text: list[str] = []
        self.pieces: list[Piece] = []
        self.stack: list[int] = []
        self.ordinals: Counter[str] = Counter()

    def add(self, kind: str, md: str, label: str = "") -> Piece:
        self.ordinals[kind] += 1
        parent = self.stack[-1] if self.stack else None
        piece = Piece(len(self.pieces) + 1, kind, self.ordinals[kind], md, parent, label)
        self.pieces.append(piece)
        return piece

    def placeholder(self, kind: str, md: str) -> None:
        piece = self.add(kind, md)
        self.out.append(f'<{PLACEHOLDER} id="{piece.id}"/>')

    def plain(self, content: str) -> None:
        parts = _BRACE.split(content) if self.brace_format else [content]
        fields = _BRACE.findall(content) if self.brace_format else []
        for n, part in enumerate(parts):
            self.out.append(escape(part))
            self.text.append(part)
            if n < len(fields):
                self.placeholder("field", fields[n])

    def token(self, i: int) -> int:
        """Encode ``children[i]``; returns the index of the last token it consumed."""
        tok = self.children[i]
        kind = tok.type
        simple = _PLACEHOLDERS.get(kind)
        if kind in ("text", "softbreak"):
            self.plain(tok.content if kind == "text" else " ")
        elif simple is not None:
            self.placeholder(simple, "\\\n" if kind == "hardbreak" else markup.to_markdown([tok]))
        elif kind == "link_open" and tok.markup == "autolink":
            end = _closing(self.children, i)
            self.placeholder("autolink", markup.to_markdown(self.children[i : end + 1]))
            return end
        elif kind in _PAIRED:
            self.open(i)
        elif kind in ("em_close", "strong_close", "link_close"):
            self.out.append(f"</{self.pieces[self.stack.pop() - 1].tag}>")
        else:  # pragma: no cover - markup.to_markdown refuses the same tokens
            raise ValueError(f"unexpected inline token {kind}")
        return i

    def open(self, i: int) -> None:
        tok = self.children[i]
        end = _closing(self.children, i)
        label = _label(self.children[i + 1 : end])
        if tok.type == "link_open":
            closer = markup.to_markdown([tok, self.children[end]])  # "[](target)"
            piece = self.add("link", closer[1:], label)
        else:
            piece = self.add(_PAIRED[tok.type], "", label)
        self.out.append(f'<{piece.tag} id="{piece.id}">')
        self.stack.append(piece.id)


# Tokens that become an empty placeholder, and the kind of piece they are.
_PLACEHOLDERS = {"hardbreak": "break", "code_inline": "code", "footnote_ref": "footnote", "image": "image"}


def encode(msgid: str, *, brace_format: bool = False, plain: bool = False) -> Encoded:
    """The XML for one msgid; ``brace_format`` also protects ``{name}`` fields; ``plain``: the
    msgid is text (an interface string), not Markdown."""
    children = [Token("text", "", 0, content=msgid)] if plain else markup.parse_inline(msgid)
    encoder = _Encoder(children, brace_format)
    i = 0
    while i < len(children):
        i = encoder.token(i) + 1
    return Encoded(
        markup.to_markdown(children), "".join(encoder.out), tuple(encoder.pieces), "".join(encoder.text)
    )


def _closing(children: Sequence[Token], start: int) -> int:
    """The index of the token that closes ``children[start]``."""
    closer = children[start].type.replace("_open", "_close")
    depth = 0
    for j in range(start, len(children)):
        if children[j].type == children[start].type:
            depth += 1
        elif children[j].type == closer:
            depth -= 1
            if depth == 0:
                return j
    raise ValueError(f"unclosed {children[start].type}")  # pragma: no cover - the parser pairs them


def _label(children: Sequence[Token], width: int = 30) -> str:
    words = "".join(t.content for t in children if t.type == "text").strip()
    return words if len(words) <= width else words[: width - 1] + "…"


def decode(encoded: Encoded, xml: str) -> Decoded:
    """The translation ``xml`` of ``encoded`` as Markdown, and what broke on the way."""
    builder = Builder(encoded)
    problems: list[str] = []
    try:
        ET.fromstring(f"<r>{xml}</r>")
    except ET.ParseError as exc:
        problems.append(f"malformed XML ({_parse_error(exc)})")
    builder.feed(xml)
    built = builder.finish()
    problems += builder.problems
    for piece in encoded.pieces:
        count = builder.seen[piece.id]
        if count == 0:
            problems.append(f"{piece.describe()} {'lost' if piece.paired else 'missing'}")
        elif count > 1:
            problems.append(f"{piece.describe()} doubled")
        elif builder.parents.get(piece.id) != piece.parent:
            problems.append(_moved(encoded, piece, builder.parents.get(piece.id)))
    markdown = markup.normalise(built)
    if not problems:
        found = _markdown_problems(encoded.source, markdown)
        if found:
            markdown, found = _with_underscores(encoded, xml, markdown, found)
        problems += found
    return Decoded(markdown, tuple(problems))


def _with_underscores(encoded: Encoded, xml: str, markdown: str, found: list[str]) -> tuple[str, list[str]]:
    """Where '*' is ambiguous (``**a**`` for an em in an em), '_' as the normal form has it."""
    emphasis = [p.id for p in encoded.pieces if p.kind in ("em", "strong")]
    for n in range(1, len(emphasis) + 1 if len(emphasis) <= 8 else 0):
        for combo in itertools.combinations(emphasis, n):
            builder = Builder(encoded, frozenset(combo))
            builder.feed(xml)
            attempt = markup.normalise(builder.finish())
            if not _markdown_problems(encoded.source, attempt):
                return attempt, []
    return markdown, found


def _parse_error(exc: ET.ParseError) -> str:
    # The position counts the "<r>" wrapper: report the column in the answer itself.
    line, column = getattr(exc, "position", (1, 0))
    reason = str(exc).split(":")[0]
    return f"{reason} at column {column - 3 + 1}" if line == 1 else f"{reason} at line {line}"


def _moved(encoded: Encoded, piece: Piece, parent: int | None) -> str:
    was = encoded.piece(piece.parent) if piece.parent is not None else None
    now = encoded.piece(parent) if parent is not None else None
    if was is None and now is not None:
        return f"{piece.describe()} moved into {now.describe()}"
    if was is not None:
        return f"{piece.describe()} moved out of {was.describe()}"
    return f"{piece.describe()} moved"  # pragma: no cover - one of the two is set


def _markdown_problems(source: str, markdown: str) -> list[str]:
    """What the Markdown itself lost, tags notwithstanding (a '!' before a link, '*' not flanking)."""
    found = markup.diff(
        markup.elements(markup.parse_inline(source)), markup.elements(markup.parse_inline(markdown))
    )
    return ["the Markdown does not keep the markup: " + found.describe(lost="lost")] if found else []
