"""Rebuilding Markdown from the tags of a machine's answer, leniently: a broken answer still yields
its text, and every way its markup did not survive is named."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

from ..source import markup
from .pieces import PLACEHOLDER, Encoded, Piece


@dataclass
class _Frame:
    tag: str
    piece: Piece | None  # None: the root, or a tag the source does not have
    parts: list[str]


class Builder(HTMLParser):
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
