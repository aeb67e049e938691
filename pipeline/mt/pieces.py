"""The markup of a msgid as a codec sends it: numbered pieces, and what decoding gives back."""

from __future__ import annotations

from dataclasses import dataclass

# The placeholder tag: its (empty) content is never translated.
PLACEHOLDER = "x"
IGNORE_TAGS: tuple[str, ...] = (PLACEHOLDER,)
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
    def payload(self) -> str:
        """What is sent."""
        return self.xml

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
