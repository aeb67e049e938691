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
from dataclasses import dataclass
from html.parser import HTMLParser
from xml.sax.saxutils import escape

from markdown_it.token import Token

from ..source import markup

# The placeholder tag: its (empty) content is never translated.
PLACEHOLDER = "x"
IGNORE_TAGS: tuple[str, ...] = (PLACEHOLDER,)
_PAIRED = {"em_open": "em", "strong_open": "strong", "link_open": "link"}
_BRACE = re.compile(r"\{\w+\}")
_NAMES = {
    "em": "emphasis",
    "strong": "strong emphasis",
    "link": "link",
    "autolink": "URL",
    "code": "code",
    "footnote": "footnote",
    "break": "line break",
    "image": "image",
    "field": "placeholder",
}


@dataclass(frozen=True)
class Piece:
    """One piece of markup of the source, as it is tagged in the XML."""

    id: int
    kind: str  # "em", "strong", "link" (paired); "autolink", "code", "footnote", "break", "image", "field"
    ordinal: int  # the how-many-th of its kind, for messages ("link 2")
    markdown: str  # placeholders: what replaces them; links: the "](target)" that closes them
    parent: int | None  # the paired piece it stands in (None: at the top)
    label: str = ""  # the text a person recognises it by

    @property
    def paired(self) -> bool:
        return self.kind in ("em", "strong", "link")

    @property
    def tag(self) -> str:
        return {"em": "em", "strong": "strong", "link": "a"}.get(self.kind, PLACEHOLDER)

    def describe(self) -> str:
        if self.kind == "footnote":
            return f"footnote {self.markdown}"
        if self.kind == "field":
            return f"placeholder {self.markdown}"
        if self.kind == "code":
            return f"code {self.markdown}"
        if self.kind == "autolink":
            return f"URL {self.markdown}"
        name = _NAMES[self.kind]
        return f"{name} {self.ordinal}" + (f" ({self.label!r})" if self.label else "")


@dataclass(frozen=True)
class Encoded:
    """A msgid as the XML a machine translates, and what is needed to undo it."""

    source: str  # the msgid, in normal form
    xml: str
    pieces: tuple[Piece, ...]
    text: str  # the text outside tags, as sent: what DeepL bills

    @property
    def characters(self) -> int:
        """Billable characters: Unicode code points of the text, markup excluded."""
        return len(self.text)

    def piece(self, ident: int) -> Piece | None:
        return next((p for p in self.pieces if p.id == ident), None)


@dataclass(frozen=True)
class Decoded:
    markdown: str  # normal form
    problems: tuple[str, ...]  # empty: every piece of markup came back where it belongs

    @property
    def ok(self) -> bool:
        return not self.problems


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


# -- decoding ------------------------------------------------------------------


@dataclass
class _Frame:
    tag: str
    piece: Piece | None  # None: the root, or a tag the source does not have
    parts: list[str]


class _Builder(HTMLParser):
    """Walks the translation's tags (leniently, so a broken answer still yields its text)."""

    def __init__(self, encoded: Encoded, underscore: frozenset[int] = frozenset()) -> None:
        super().__init__(convert_charrefs=True)
        self.encoded = encoded
        self.underscore = underscore  # ids of the emphasis written with '_' rather than '*'
        self.stack: list[_Frame] = [_Frame("", None, [])]
        self.seen: Counter[int] = Counter()
        self.parents: dict[int, int | None] = {}
        self.problems: list[str] = []

    def _piece(self, tag: str, attrs: list[tuple[str, str | None]]) -> Piece | None:
        value = dict(attrs).get("id") or ""
        piece = self.encoded.piece(int(value)) if value.isdigit() else None
        if piece is None or piece.tag != tag:
            shown = f'<{tag} id="{value}">' if value else f"<{tag}>"
            self._problem(f"unexpected tag {shown}")
            return None
        self.seen[piece.id] += 1
        self.parents.setdefault(piece.id, self._parent())
        return piece

    def _parent(self) -> int | None:
        for frame in reversed(self.stack):
            if frame.piece is not None:
                return frame.piece.id
        return None

    def _problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == PLACEHOLDER:
            self.handle_startendtag(tag, attrs)
            return
        self.stack.append(_Frame(tag, self._paired(tag, attrs), []))

    def _paired(self, tag: str, attrs: list[tuple[str, str | None]]) -> Piece | None:
        if tag in ("em", "strong", "a"):
            return self._piece(tag, attrs)
        self._problem(f"unexpected tag <{tag}>")
        return None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != PLACEHOLDER:
            piece = self._paired(tag, attrs)
            if piece is not None:
                self._problem(f"{piece.describe()} emptied")
            return
        piece = self._piece(tag, attrs)
        if piece is not None:
            self.stack[-1].parts.append(piece.markdown)

    def handle_endtag(self, tag: str) -> None:
        if tag == PLACEHOLDER:
            return  # <x id="1"></x>: the long form of a placeholder
        open_tags = [frame.tag for frame in self.stack[1:]]
        if tag not in open_tags:
            self._problem(f"stray closing tag </{tag}>")
            return
        while self.stack[-1].tag != tag:
            self._problem(f"{self._name(self.stack[-1])} not closed where it should be")
            self._close()
        self._close()

    @staticmethod
    def _name(frame: _Frame) -> str:
        return frame.piece.describe() if frame.piece else f"<{frame.tag}>"

    def handle_data(self, data: str) -> None:
        self.stack[-1].parts.append(markup.escape_text(data))

    def _close(self) -> None:
        frame = self.stack.pop()
        content = "".join(frame.parts)
        piece = frame.piece
        if piece is None:
            self.stack[-1].parts.append(content)
            return
        if not content.strip() and piece.label.strip():  # empty in the source: nothing was lost
            self._problem(f"{piece.describe()} emptied")
        if piece.kind == "link":
            parts = self.stack[-1].parts
            if parts:
                parts[-1] = markup.before_link(parts[-1])
            parts.append(f"[{content}{piece.markdown}")
            return
        # Emphasis may not start or end with a space in Markdown: machines put
        # spaces inside the tags; move them out, where the source had them.
        delim = ("_" if piece.id in self.underscore else "*") * (1 if piece.kind == "em" else 2)
        lead, core, trail = _split_spaces(content)
        self.stack[-1].parts.append(f"{lead}{delim}{core}{delim}{trail}" if core else content)

    def finish(self) -> str:
        self.close()
        while len(self.stack) > 1:
            self._problem(f"{self._name(self.stack[-1])} not closed")
            self._close()
        return "".join(self.stack[0].parts)


def _split_spaces(content: str) -> tuple[str, str, str]:
    """Leading spaces, the rest, trailing spaces (a hard break's newline is not a space)."""
    start, end = 0, len(content)
    while start < end and content[start].isspace() and content[start] != "\n":
        start += 1
    while end > start and content[end - 1].isspace() and content[end - 1] != "\n":
        end -= 1
    return content[:start], content[start:end], content[end:]


def decode(encoded: Encoded, xml: str) -> Decoded:
    """The translation ``xml`` of ``encoded`` as Markdown, and what broke on the way."""
    builder = _Builder(encoded)
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
            builder = _Builder(encoded, frozenset(combo))
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
