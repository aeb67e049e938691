"""The msgid form: inline Markdown, normalised, and its structure for checks.

A msgid is the inline content of one block, written back as CommonMark in one
normal form (:mod:`.normal_form`: ``*em*``, ``**strong**``, ``[text](url)``,
``<autolink>``, ``[^label]``, ``` `code` ```, a backslash before the line end
for a hard break, soft breaks joined into spaces, a backslash before every
character that would otherwise be read as markup) that parses back to the
block's own tokens. Raw HTML is never markup: the parser runs with HTML off
everywhere, so ``<b>`` is text.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import footnotes
from .footnotes import footnote_env as footnote_env
from .footnotes import footnote_refs as footnote_refs

# The writer lives in its own module; these are used as markup.<name>.
from .normal_form import before_link as before_link
from .normal_form import escape_text as escape_text
from .normal_form import signature as signature
from .normal_form import to_markdown


@cache
def parser() -> MarkdownIt:
    """The one Markdown dialect of the pipeline: CommonMark, tables, footnotes ([^label] only), no HTML."""
    return footnotes.use(MarkdownIt("commonmark", {"html": False})).enable("table")


@cache
def permissive_parser() -> MarkdownIt:
    """The dialect, but taking every link target: to see (and refuse) what the real one drops."""
    md = footnotes.use(MarkdownIt("commonmark", {"html": False})).enable("table")
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


@cache
def html_sniffer() -> MarkdownIt:
    """A parser that *does* see raw HTML, used only to detect it in translations."""
    return MarkdownIt("commonmark", {"html": True})


@cache
def block_sniffer() -> MarkdownIt:
    """``html_sniffer`` for blocks only (inline content left unparsed): where HTML blocks are."""
    return MarkdownIt("commonmark", {"html": True}).disable("inline")


def parse_inline(text: str, env: dict[str, Any] | None = None, *, permissive: bool = False) -> list[Token]:
    """Parse a msgid or msgstr as inline Markdown.

    A segment is parsed on its own, away from the footnote definitions, so by
    default every ``[^label]`` it writes counts as a footnote reference; checks
    compare the labels with the source's.
    """
    env = copy.deepcopy(env) if env is not None else footnote_env([label for label, _ in footnote_refs(text)])
    md = permissive_parser() if permissive else parser()
    # As a block would: a paragraph's content is stripped of the spaces around it.
    tokens = md.parseInline(text.strip(" \t\n"), env)
    return list(tokens[0].children or []) if tokens else []


@lru_cache(maxsize=8192)
def parsed(text: str, *, permissive: bool = False) -> tuple[Token, ...]:
    """``parse_inline`` of ``text``, parsed once and shared: to read, never to change (a check
    reads each msgid and msgstr several ways)."""
    return tuple(parse_inline(text, permissive=permissive))


def field_problem(value: object) -> str | None:
    """Why ``value`` cannot be a short text of the source (a title, place, role or scope label):
    one line of inline Markdown that shows something, without footnotes, images or HTML."""
    if not isinstance(value, str) or not value.strip():
        return "must be a non-empty text"
    if has_raw_html(value):
        return "holds raw HTML; write Markdown instead"
    if "\n" in value.strip():
        return "must be one line"
    kinds = {e.kind for e in elements(parse_inline(value))}
    if "footnote" in kinds or "image" in kinds:
        return "may not hold a footnote reference or an image (they belong in the body)"
    if not visible_text(value, urls=True).strip():
        return "shows nothing"
    return None


def normalise(text: str, env: dict[str, Any] | None = None) -> str:
    """The normal form of a piece of inline Markdown."""
    return to_markdown(parse_inline(text, env))


# -- structure, for checks and for machine translation ----------------------


@dataclass(frozen=True)
class Element:
    """One piece of markup in a segment: what a translation must keep."""

    kind: str  # "em", "strong", "link", "autolink", "code", "footnote", "break", "image"
    value: str = ""  # link target, code text, footnote label

    def describe(self) -> str:
        names = {
            "em": "emphasis",
            "strong": "strong emphasis",
            "link": "link",
            "autolink": "link",
            "code": "code",
            "footnote": "footnote reference",
            "break": "line break",
            "image": "image",
        }
        return f"{names[self.kind]} {self.value}".strip()


def elements(children: Sequence[Token]) -> list[Element]:
    """The markup of a parsed segment, in order (closing tokens are not counted)."""
    found: list[Element] = []
    for tok in children:
        if tok.type == "em_open":
            found.append(Element("em"))
        elif tok.type == "strong_open":
            found.append(Element("strong"))
        elif tok.type == "link_open":
            kind = "autolink" if tok.markup == "autolink" else "link"
            found.append(Element(kind, str(tok.attrGet("href") or "")))
        elif tok.type == "code_inline":
            found.append(Element("code", tok.content))
        elif tok.type == "footnote_ref":
            found.append(Element("footnote", str(tok.meta["label"])))
        elif tok.type == "hardbreak":
            found.append(Element("break"))
        elif tok.type == "image":
            found.append(Element("image", str(tok.attrGet("src") or "")))
    return found


@dataclass(frozen=True)
class MarkupDiff:
    """The markup a translation lost and added against its source."""

    lost: tuple[Element, ...]
    extra: tuple[Element, ...]

    def __bool__(self) -> bool:
        return bool(self.lost or self.extra)

    def describe(self, lost: str = "missing") -> str:
        parts = []
        if self.lost:
            parts.append(f"{lost} {', '.join(e.describe() for e in self.lost)}")
        if self.extra:
            parts.append(f"extra {', '.join(e.describe() for e in self.extra)}")
        return "; ".join(parts)


def diff(source: Sequence[Element], target: Sequence[Element]) -> MarkupDiff:
    """The one markup comparison: what of ``source`` is not in ``target``, and what ``target`` adds."""
    want, got = Counter(source), Counter(target)
    return MarkupDiff(tuple((want - got).elements()), tuple((got - want).elements()))


def visible_text(text: str, *, urls: bool = False, env: dict[str, Any] | None = None) -> str:
    """What a reader sees of inline Markdown: words, code and link texts, never link targets
    or footnote references; with ``urls``, also the addresses that autolinks print."""
    return _visible(parse_inline(text, env), urls) if env is not None else _visible_text(text, urls)


@lru_cache(maxsize=8192)
def _visible_text(text: str, urls: bool) -> str:
    return _visible(parsed(text), urls)


def translatable(children: Sequence[Token]) -> bool:
    """Whether inline tokens hold words to translate: a letter outside code and addresses
    (a table cell of "12", a paragraph of one link address, are the same in every language)."""
    autolink = False
    for tok in children:
        if tok.type == "link_open":
            autolink = tok.markup == "autolink"
        elif tok.type == "link_close":
            autolink = False
        elif tok.type == "text" and not autolink:
            if _LETTER.search(tok.content):
                return True
        elif tok.type == "image" and translatable(tok.children or []):  # its description
            return True
    return False


_LETTER = re.compile(r"[^\W\d_]")


def visible_tokens(children: Sequence[Token], *, urls: bool = False) -> str:
    """``visible_text`` of inline tokens already parsed."""
    return _visible(children, urls)


def _visible(children: Sequence[Token], urls: bool) -> str:
    out: list[str] = []
    autolink = False
    for tok in children:
        kind = tok.type
        if kind == "link_open" and tok.markup == "autolink":
            autolink = True
        elif kind == "link_close":
            autolink = False
        elif (kind == "text" and (urls or not autolink)) or kind == "code_inline":
            out.append(tok.content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind == "image":
            out.append(_visible(tok.children or [], urls))
    return "".join(out)


# Inline nesting (emphasis in a link in strong emphasis…) layout recurses into: the source's limit.
MAX_NESTING = 20


def depth(children: Sequence[Token]) -> int:
    """How deep emphasis, strong emphasis and links nest in a parsed segment."""
    level = deepest = 0
    for tok in children:
        level += tok.nesting
        deepest = max(deepest, level)
    return deepest


def link_targets(children: Sequence[Token]) -> list[str]:
    return [e.value for e in elements(children) if e.kind in ("link", "autolink")]


@lru_cache(maxsize=8192)
def has_raw_html(text: str) -> bool:
    """Whether ``text`` holds something a browser would read as an HTML tag."""
    if "<" not in text:  # every tag, comment and declaration opens with it
        return False
    tokens = html_sniffer().parseInline(text, {})
    return any(t.type == "html_inline" for t in (tokens[0].children or [] if tokens else []))


def with_link_targets(text: str, targets: Sequence[str], env: dict[str, Any] | None = None) -> str:
    """``text`` with its link targets replaced, in order, by ``targets``."""
    children = parse_inline(text, env)
    links = [t for t in children if t.type == "link_open" and t.markup != "autolink"]
    if len(links) != len(targets):
        raise ValueError("number of links differs")
    for tok, target in zip(links, targets, strict=True):
        tok.attrSet("href", target)
    return to_markdown(children)


def without_link_targets(text: str, env: dict[str, Any] | None = None) -> str:
    """``text`` with every (non-auto) link target blanked: the key for 'only a target changed'."""
    children = parse_inline(text, env)
    for tok in children:
        if tok.type == "link_open" and tok.markup != "autolink":
            tok.attrSet("href", "")
            if tok.attrGet("title"):
                tok.attrSet("title", "")
    return to_markdown(children)
