"""Segments: the translatable units of a document, each with its kind as data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from markdown_it.token import Token

from . import interface, markup
from .document import Document


class Kind(StrEnum):
    """What a segment is. Stages decide by this, never by the text of a ``#.`` comment."""

    TITLE = "title"
    PLACE = "place"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list item"
    TABLE_CELL = "table cell"
    QUOTATION = "quotation"
    FOOTNOTE = "footnote"
    SCOPE = "signatory scope"
    ROLE = "signatory role"
    INTERFACE = "interface"


# The ``#.`` comment translators read, where it is more than the kind's name.
_COMMENTS = {
    Kind.TITLE: "title of the letter (document title)",
    Kind.PLACE: "place in the dateline (a city)",
    Kind.SCOPE: (
        "signatory scope, after an organisation's name and its countries, e.g. "
        "'AlgorithmWatch (Germany / European)': use a form that reads after any name, "
        "a noun or a region's name (as CLDR names Europe, 150, or the World, 001), "
        "not an adjective that must agree with the organisation"
    ),
    Kind.ROLE: "signatory role (of a person)",
}


@dataclass(frozen=True)
class Segment:
    """One translatable unit: one block of the document, or one string around it."""

    msgid: str
    kind: Kind
    references: tuple[tuple[str, int], ...] = ()
    context: str | None = None  # msgctxt
    brace_format: bool = False
    section: str = ""  # the heading this block stands under (MT context)
    label: str = ""  # a footnote's label
    note: str = ""  # an interface string's description

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)

    @property
    def comment(self) -> str:
        """The ``#.`` comment: what the segment is, for translators."""
        if self.kind is Kind.FOOTNOTE:
            return f"footnote {self.label}"
        if self.kind is Kind.INTERFACE:
            return self.note
        return _COMMENTS.get(self.kind, self.kind.value)


@dataclass(frozen=True)
class Block:
    """An inline token of the body and what kind of block holds it."""

    token: Token
    kind: Kind
    line: int  # 1-based, in the source file
    section: str
    label: str = ""  # footnote label


_BLOCK_KINDS = {
    "heading": Kind.HEADING,
    "list_item": Kind.LIST_ITEM,
    "th": Kind.TABLE_CELL,
    "td": Kind.TABLE_CELL,
    "blockquote": Kind.QUOTATION,
}


def blocks(doc: Document) -> Iterator[Block]:
    """Every translatable block of the body, in document order."""
    stack: list[Token] = []
    section = ""
    for tok in doc.tokens:
        if tok.nesting == 1:
            stack.append(tok)
        elif tok.nesting == -1:
            stack.pop()
        elif tok.type == "inline" and tok.children:
            kind, label = _kind(stack)
            line = doc.body_offset + (tok.map[0] if tok.map else 0) + 1
            yield Block(tok, kind, line, "" if kind is Kind.FOOTNOTE else section, label)
            if kind is Kind.HEADING:
                section = markup.to_markdown(tok.children)


def _kind(stack: list[Token]) -> tuple[Kind, str]:
    for tok in reversed(stack):
        if tok.type == "footnote_open":
            return Kind.FOOTNOTE, str(tok.meta["label"])
    for tok in reversed(stack):
        kind = _BLOCK_KINDS.get(tok.type.removesuffix("_open"))
        if kind is not None:
            return kind, ""
    return Kind.PARAGRAPH, ""


def segments(doc: Document, root: Path) -> list[Segment]:
    """The document as translatable Segments, in document order; duplicates merged."""
    rel = _relative(doc.path, root)
    found: list[Segment] = [Segment(doc.title, Kind.TITLE, ((rel, doc.lines.get("title", 1)),))]
    if doc.place is not None:
        found.append(Segment(doc.place, Kind.PLACE, ((rel, doc.lines.get("place", 1)),)))
    for block in blocks(doc):
        if not markup.translatable(block.token.children or []):
            continue  # numbers, code or addresses only: the same in every language
        found.append(
            Segment(
                markup.to_markdown(block.token.children or []),
                block.kind,
                ((rel, block.line),),
                section=block.section,
                label=block.label,
            )
        )
    sig = doc.signatories
    sig_rel = _relative(sig.path, root)
    used = {w for o in sig.organisations for w in o.where}
    for key, label in sig.scopes.items():
        if key in used:
            found.append(Segment(label, Kind.SCOPE, ((sig_rel, sig.lines.get(f"scope:{key}", 1)),)))
    for person in sig.individuals:
        ref = ((sig_rel, sig.lines.get(f"role:{person.name}", 1)),)
        found.append(Segment(person.role, Kind.ROLE, ref))
    letter = doc.place is not None and doc.date is not None
    for ui in interface.needed(letter=letter, signed=_signed(doc), notes=doc.has_notes):
        found.append(
            Segment(ui.msgid, Kind.INTERFACE, (), interface.CONTEXT, ui.brace_format, note=ui.comment)
        )
    return _merge_duplicates(found)


def _signed(doc: Document) -> bool:
    return bool(doc.signatories.organisations or doc.signatories.individuals)


def _merge_duplicates(found: list[Segment]) -> list[Segment]:
    merged: dict[tuple[str | None, str], Segment] = {}
    for seg in found:
        first = merged.get(seg.key)
        if first is None:
            merged[seg.key] = seg
        else:
            refs = first.references + tuple(r for r in seg.references if r not in first.references)
            merged[seg.key] = replace(first, references=refs)
    return list(merged.values())


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
