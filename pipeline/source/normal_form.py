"""Inline tokens written back as Markdown in the msgid's one normal form.

``*em*``, ``**strong**``, ``[text](url "title")``, ``<autolink>``,
``![alt](src "title")``, ``[^label]``, ``` `code` ```, a backslash before the
line end for a hard break, soft breaks joined into spaces, and a backslash
before every character that would otherwise be read as markup. Where ``*``
would be read differently (an em directly inside an em, two ems side by side)
emphasis is written with ``_``; characters a block would not give back (a line
end or a control from ``&#10;``, a space at either end) are written as numeric
references. Parsing the result gives the same tokens back, so rendering the
msgids of a letter is rendering the letter.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from markdown_it.token import Token

_ESCAPE = re.compile(r"([\\`*_\[\]<>])")
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_URL_NEEDS_BRACKETS = re.compile(r"[\s()<>]")
# What a text token can hold (from a reference such as &#10;) that would not come
# back as itself: a line end becomes a break, a control is refused. Tab stays.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_EMPHASIS = ("em_open", "em_close", "strong_open", "strong_close")
_MAX_FLEXIBLE = 8  # emphasis tried both ways, at most (2**8 parses)
_LITERAL = {"softbreak": " ", "hardbreak": "\\\n"}  # tokens written as fixed text


def escape_text(text: str) -> str:
    text = _ESCAPE.sub(r"\\\1", text)
    # An '&' that starts an entity reference would be decoded: keep it literal.
    return _ENTITY.sub(lambda m: "\\" + m.group(0), text)


def _literal_entities(text: str) -> str:
    return _ENTITY.sub(lambda m: "\\" + m.group(0), text)


def before_link(text: str) -> str:
    """``text`` made safe to stand before a link: a final "!" would turn "[" into an image."""
    if text.endswith("!") and not text.endswith("\\!"):
        return text[:-1] + "\\!"
    return text


def _link_destination(href: str) -> str:
    href = _literal_entities(href)
    if href == "" or _URL_NEEDS_BRACKETS.search(href):
        return "<" + href.replace("<", "%3C").replace(">", "%3E") + ">"
    return href


def _title(title: object) -> str:
    if not title:
        return ""
    return ' "' + _literal_entities(str(title).replace("\\", "\\\\").replace('"', '\\"')) + '"'


def _code_span(content: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    # CommonMark strips one space from each side, except from a span of spaces only.
    edge = content.startswith(("`", " ")) or content.endswith(("`", " "))
    pad = " " if edge and content.strip(" ") else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def _edge_spaces(text: str, *, lead: bool) -> str:
    """Spaces and tabs at the very start or end (from ``&#32;``, ``&#9;``): a block
    strips them from its content, so they are written as references."""
    core = text.lstrip(" \t") if lead else text.rstrip(" \t")
    edge = text[: len(text) - len(core)] if lead else text[len(core) :]
    refs = "".join(f"&#{ord(c)};" for c in edge)
    return refs + core if lead else core + refs


@cache
def _autolink(href: str, text: str) -> str:
    """``<text>`` when it parses back to this href and text; otherwise ``<href>``."""
    from .markup import parser

    for candidate in (text, href.removeprefix("mailto:")):
        back = parser().parseInline(f"<{candidate}>", {})[0].children or []
        if len(back) == 3 and back[0].attrGet("href") == href and back[1].content == text:
            return f"<{candidate}>"
    return f"<{text}>"  # pragma: no cover - markdown-it's URL normalisation is idempotent


def _merged(children: Sequence[Token]) -> list[Token]:
    """``children`` without empty text tokens, adjacent text tokens joined."""
    out: list[Token] = []
    for tok in children:
        if tok.type == "text" and not tok.content:
            continue
        if tok.type == "text" and out and out[-1].type == "text":
            out[-1] = Token("text", "", 0, content=out[-1].content + tok.content)
        else:
            out.append(tok)
    return out


def _emphasis_pairs(children: Sequence[Token]) -> dict[int, int]:
    """Open index -> close index of every em and strong in ``children``."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, tok in enumerate(children):
        if tok.type in ("em_open", "strong_open"):
            stack.append(i)
        elif tok.type in ("em_close", "strong_close") and stack:
            pairs[stack.pop()] = i
    return pairs


class _Writer:
    """One writing of the tokens; emphasis opened at an index in ``underscore`` uses '_'."""

    def __init__(self, children: Sequence[Token], underscore: frozenset[int], *, edges: bool) -> None:
        self.children, self.underscore, self.edges = children, underscore, edges
        self.pairs = _emphasis_pairs(children) if underscore else {}
        self.closers: dict[int, str] = {}
        self.out: list[str] = []
        self.autolink: Token | None = None
        self.links: list[Token] = []

    def write(self) -> str:
        for i, tok in enumerate(self.children):
            literal = _LITERAL.get(tok.type)
            if literal is not None:
                self.out.append(literal)
                continue
            handler = getattr(self, "_" + tok.type, None)
            if handler is None:  # pragma: no cover - the dialect has no other inline tokens
                raise ValueError(f"unexpected inline token {tok.type}")
            handler(i, tok)
        return "".join(self.out)

    def _text(self, i: int, tok: Token) -> None:
        if self.autolink is not None:
            self.out.append(_autolink(str(self.autolink.attrGet("href") or ""), tok.content))
            return
        text = _CONTROL.sub(lambda m: f"&#{ord(m.group())};", escape_text(tok.content))
        if self.edges and i == 0:
            text = _edge_spaces(text, lead=True)
        if self.edges and i == len(self.children) - 1:
            text = _edge_spaces(text, lead=False)
        self.out.append(text)

    def _open(self, i: int, width: int) -> None:
        mark = ("_" if i in self.underscore else "*") * width
        if i in self.pairs:
            self.closers[self.pairs[i]] = mark
        self.out.append(mark)

    def _em_open(self, i: int, tok: Token) -> None:
        self._open(i, 1)

    def _strong_open(self, i: int, tok: Token) -> None:
        self._open(i, 2)

    def _em_close(self, i: int, tok: Token) -> None:
        self.out.append(self.closers.pop(i, "*"))

    def _strong_close(self, i: int, tok: Token) -> None:
        self.out.append(self.closers.pop(i, "**"))

    def _code_inline(self, i: int, tok: Token) -> None:
        self.out.append(_code_span(tok.content))

    def _link_open(self, i: int, tok: Token) -> None:
        if tok.markup == "autolink":
            self.autolink = tok
            return
        self.links.append(tok)
        if self.out:
            self.out[-1] = before_link(self.out[-1])
        self.out.append("[")

    def _link_close(self, i: int, tok: Token) -> None:
        if self.autolink is not None:
            self.autolink = None
            return
        opener = self.links.pop()
        dest = _link_destination(str(opener.attrGet("href") or ""))
        self.out.append(f"]({dest}{_title(opener.attrGet('title'))})")

    def _image(self, i: int, tok: Token) -> None:
        # an image's description keeps its own spaces: they are its alt text's
        alt = _choose(_merged(tok.children or []), alt=True)
        dest = _link_destination(str(tok.attrGet("src") or ""))
        self.out.append(f"![{alt}]({dest}{_title(tok.attrGet('title'))})")

    def _footnote_ref(self, i: int, tok: Token) -> None:
        self.out.append(f"[^{tok.meta['label']}]")


def signature(children: Sequence[Token]) -> list[Any]:
    """What the HTML of inline tokens depends on (a soft break prints as a space)."""
    sig: list[Any] = []
    for tok in children:
        if tok.type in ("text", "softbreak"):
            text = tok.content if tok.type == "text" else " "
            if sig and isinstance(sig[-1], str):
                sig[-1] += text
            elif text:
                sig.append(text)
        elif tok.type == "image":
            sig.append(("image", tok.attrGet("src"), tok.attrGet("title"), signature(tok.children or [])))
        elif tok.type == "link_open":
            sig.append(("link", tok.attrGet("href"), tok.attrGet("title"), tok.markup == "autolink"))
        elif tok.type == "footnote_ref":
            sig.append(("footnote", tok.meta["label"]))
        else:
            sig.append((tok.type, tok.content))
    return sig


def _flexible(children: Sequence[Token]) -> list[int]:
    """The emphasis that touches another's delimiters, or nests in or around another."""
    pairs = _emphasis_pairs(children)

    def touches(j: int) -> bool:
        return 0 <= j < len(children) and children[j].type in _EMPHASIS

    return [
        o
        for o, c in pairs.items()
        if any(touches(j) for j in (o - 1, o + 1, c - 1, c + 1))
        or any(o2 < o < c2 or o < o2 < c for o2, c2 in pairs.items() if o2 != o)
    ]


def _parses_back(text: str, want: list[Any], *, alt: bool) -> bool:
    from .markup import parse_inline

    if alt:  # a description is parsed where it stands, inside an image
        image = parse_inline(f"![{text}]()")
        back = image[0].children or [] if len(image) == 1 and image[0].type == "image" else []
    else:
        back = parse_inline(text)
    return signature(back) == want


def _choose(children: list[Token], *, alt: bool = False) -> str:
    """'*' for emphasis, unless that parses differently.

    Two delimiter runs side by side join into one (``*a**b*``; ``**a**`` for an
    em inside an em), and an em inside an em can close early (``*a*b*c*``):
    then the emphasis that touches or nests in another is tried with '_' too,
    fewest underscores first; the first writing that parses back to the same
    tokens wins. The choice is deterministic, so the form stays a fixed point.
    """
    text = _Writer(children, frozenset(), edges=not alt).write()
    flexible = _flexible(children)
    if not flexible or len(flexible) > _MAX_FLEXIBLE:
        return text
    want = signature(children)
    if _parses_back(text, want, alt=alt):
        return text
    for n in range(1, len(flexible) + 1):
        for combo in itertools.combinations(flexible, n):
            attempt = _Writer(children, frozenset(combo), edges=not alt).write()
            if _parses_back(attempt, want, alt=alt):
                return attempt
    return text


def to_markdown(children: Sequence[Token]) -> str:
    """Write inline tokens back as Markdown in the normal form."""
    return _choose(_merged(children)).strip(" ")
