"""A msgid as plain text for engines without tag handling (DeepL's Irish, Croatian, Maltese), and back.

Nothing of XML is sent. Each piece of markup of the XML codec becomes a token shaped
like an e-mail address, ``ph3@x.invalid`` (a span's end: ``ph3x@x.invalid``): engines
copy addresses as they are (DeepL's own tag handling turns tags into such addresses
before its model sees them), and ``.invalid`` is never a real domain. The words of
emphasis and link text stay in the sentence, so they are translated in context.
Link targets, code, footnote labels and fields stay in the XML codec's side table.

Decoding finds the tokens however the engine wrote them (any case, spaces inside,
moved), puts back the spacing the source had around each, rebuilds the XML codec's
form locally and decodes it there: the same verification, normal form and problem
messages. A token lost, doubled or damaged is a problem: the entry is saved fuzzy
with a repair note, never passed off as clean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from xml.sax.saxutils import escape

from . import xml_codec

_PART = re.compile(r'<x id="(\d+)"/>|<(em|strong|a) id="(\d+)">|</(em|strong|a)>|([^<]+)')
# Tolerant on the way back: any case, a space here and there, and a case ending an engine
# glued to the token as if it were a word (Croatian "-om", Irish "-a"): the ending is dropped.
_TOKEN = re.compile(r"(?i)\bph\s?(\d{1,3})\s?(x?)\s?@\s?x\s?\.\s?invalid(?:-?[^\W\d_]{1,3})?\b")
_DEBRIS = re.compile(r"(?i)@\s?x\s?\.|\.\s?invalid\b|\bph\d{1,3}\b")


def token(ident: int, closing: bool = False) -> str:
    return f"ph{ident}{'x' if closing else ''}@x.invalid"


@dataclass(frozen=True)
class Slot:
    """One token as sent: the piece, which end of it, and the source's spacing around it."""

    piece: int
    closing: bool
    before: str  # the white space the source has right before the token ("" where it is glued)
    after: str


@dataclass(frozen=True)
class EncodedText:
    xml: xml_codec.Encoded  # the same pieces, and what undoes them
    text: str  # what is sent
    slots: tuple[Slot, ...]
    wrapper: int | None  # a span around the whole msgid: not sent, put back around the answer

    @property
    def payload(self) -> str:
        return self.text

    @property
    def characters(self) -> int:
        """Without tag handling every character is billed, the tokens' too."""
        return len(self.text)


def _parts(xml: str) -> list[tuple[str, int, str]]:
    """The XML codec's form as (kind, piece id, text): "x", "open", "close" or "text"."""
    parts: list[tuple[str, int, str]] = []
    stack: list[int] = []
    for match in _PART.finditer(xml):
        placeholder, tag, ident, closer, text = match.groups()
        if placeholder:
            parts.append(("x", int(placeholder), ""))
        elif tag:
            stack.append(int(ident))
            parts.append(("open", int(ident), tag))
        elif closer:
            parts.append(("close", stack.pop(), closer))
        else:
            parts.append(("text", 0, unescape(text)))
    return parts


def _wrapper(parts: list[tuple[str, int, str]]) -> int | None:
    """The span that wraps the whole msgid (a paragraph in bold), if one does."""
    if len(parts) >= 2 and parts[0][0] == "open" and parts[-1][0] == "close" and parts[0][1] == parts[-1][1]:
        ident = parts[0][1]
        if sum(1 for kind, i, _ in parts if kind == "close" and i == ident) == 1:
            return ident
    return None


def _space(parts: list[tuple[str, int, str]], n: int, step: int) -> str:
    """The white space of the text next to ``parts[n]`` (before it: step -1; after: +1)."""
    k = n + step
    if not 0 <= k < len(parts) or parts[k][0] != "text":
        return ""
    text = parts[k][2]
    return text[len(text.rstrip()) :] if step < 0 else text[: len(text) - len(text.lstrip())]


def encode(msgid: str, *, brace_format: bool = False, plain: bool = False) -> EncodedText:
    encoded = xml_codec.encode(msgid, brace_format=brace_format, plain=plain)
    parts = _parts(encoded.xml)
    wrapper = _wrapper(parts)
    if wrapper is not None:
        parts = parts[1:-1]
    out: list[str] = []
    slots: list[Slot] = []
    for n, (kind, ident, text) in enumerate(parts):
        if kind == "text":
            out.append(text)
            continue
        slot = Slot(ident, kind == "close", _space(parts, n, -1), _space(parts, n, 1))
        slots.append(slot)
        # A word of its own, never glued to another: a space on each side where the text has none.
        glued = bool(out) and not out[-1][-1:].isspace()
        out.append((" " if glued else "") + token(ident, slot.closing) + ("" if slot.after else " "))
    return EncodedText(encoded, "".join(out).strip(" ") if slots else "".join(out), tuple(slots), wrapper)


def _tag(piece: xml_codec.Piece, closing: bool) -> str:
    if not piece.paired:
        return f'<x id="{piece.id}"/>'
    return f"</{piece.tag}>" if closing else f'<{piece.tag} id="{piece.id}">'


def _rebuild(encoded: EncodedText, answer: str) -> tuple[str, list[str]]:
    """The answer in the XML codec's form, and what could not be read back.

    The white space around each token is the source's: an engine's spacing there means nothing."""
    pieces = {p.id: p for p in encoded.xml.pieces}
    spacing = {(s.piece, s.closing): s for s in encoded.slots}
    problems: list[str] = []
    seen: dict[int, int] = {}
    xml: list[str] = []
    cursor = 0
    after: str | None = None  # the source's white space after the last tag put back
    for match in _TOKEN.finditer(answer):
        chunk = answer[cursor : match.start()]
        cursor = match.end()
        piece = pieces.get(int(match.group(1)))
        if piece is None:
            problems.append(f"unexpected placeholder {match.group(0)!r}")
            continue
        seen[piece.id] = seen.get(piece.id, 0) + 1
        closing = piece.paired and (bool(match.group(2)) or seen[piece.id] > 1)
        slot = spacing.get((piece.id, closing), Slot(piece.id, closing, " ", " "))
        if chunk.strip():
            xml.append(escape(_lead(chunk, after).rstrip()) + slot.before)
        elif xml:  # only white space since the tag before: the source's run between them
            xml.append(slot.before)
        xml.append(_tag(piece, closing))
        after = slot.after
    rest = answer[cursor:]
    if rest.strip():
        xml.append(escape(_lead(rest, after)))
    if _DEBRIS.search(_TOKEN.sub("", answer)):
        problems.append("a placeholder came back damaged")
    return "".join(xml), problems


def _lead(chunk: str, after: str | None) -> str:
    """A stretch of the answer after a tag, its leading white space the source's."""
    return chunk if after is None else after + chunk.lstrip()


def decode(encoded: EncodedText, answer: str) -> xml_codec.Decoded:
    """The plain-text ``answer`` as Markdown, and every way its markup did not survive."""
    xml, problems = _rebuild(encoded, answer.strip())
    if encoded.wrapper is not None:
        piece = encoded.xml.piece(encoded.wrapper)
        tag = piece.tag if piece is not None else "strong"
        xml = f'<{tag} id="{encoded.wrapper}">{xml}</{tag}>'
    decoded = xml_codec.decode(encoded.xml, xml)
    return xml_codec.Decoded(decoded.markdown, tuple(problems) + decoded.problems)
