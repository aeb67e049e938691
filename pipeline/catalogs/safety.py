"""What a translation may put into a document. Translations are untrusted: render refuses what
these rules refuse, and check reports the same problems at the entry's line."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from urllib.parse import urlsplit

import polib
from markdown_it.token import Token

from ..source import interface, markup

# A translation this much longer than its source is refused before layout.
MAX_RATIO = 5
MAX_SLACK = 200
ALLOWED_SCHEMES = ("http", "https", "mailto")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Every EU language is written left to right: a bidi control can only reorder what a reader sees.
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Invisible, but legitimate inside a word (joiners, a soft break opportunity).
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_SOFT_HYPHEN = "\u00ad"
# More combining marks than this on one letter pile up over the lines around it.
MAX_COMBINING = 3
# Letters that draw nothing (Hangul fillers, the blank Braille pattern) and invisible marks
# (variation selectors, the grapheme joiner): no EU text needs them, and they hide.
BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5")
_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u180b-\u180f]")
# The sets above as patterns: one scan of a text in C, not a Python loop over its characters.
_SURROGATE = re.compile("[\ud800-\udfff]")
_BIDI = re.compile("[" + "".join(map(re.escape, sorted(BIDI))) + "]")
_BLANK = re.compile("[" + "".join(map(re.escape, sorted(BLANK))) + "]")
# An interface string is one short line: this much longer than its source, it is not one.
PLAIN_RATIO = 3
PLAIN_SLACK = 40
_TAG = re.compile(r"<(?:/?[A-Za-z]|[!?])")  # what a browser reads as a tag or comment (not "a < b")


def link_allowed(href: str) -> bool:
    """http(s), mailto: and in-document anchors; nothing that reads files or runs code."""
    if href.startswith("#"):
        return True
    scheme = urlsplit(href).scheme.lower()
    return scheme in ALLOWED_SCHEMES


def problems(msgid: str, msgstr: str, *, plain: bool = False) -> list[str]:
    """Why ``msgstr`` may not be shown in place of ``msgid`` (empty: it may).

    ``plain``: an interface string, text and not Markdown (only its ``{fields}`` are special).
    """
    ratio, slack = (PLAIN_RATIO, PLAIN_SLACK) if plain else (MAX_RATIO, MAX_SLACK)
    if len(msgstr) > ratio * len(msgid) + slack:
        return [
            f"translation is {len(msgstr):,} characters for a source of {len(msgid):,}: "
            "far longer than any translation could be"
        ]
    if plain:
        return characters(msgstr) + _spacing(msgstr) + _shown(msgid, msgstr, msgid, msgstr)
    # A reference such as &#8238; is a character too: check what the reader gets, as well.
    shown = markup.visible_text(msgstr, urls=True)
    found = characters(msgstr) or characters(shown)
    return found + _markdown(msgid, msgstr)


def entry_problems(entry: polib.POEntry) -> list[str]:
    """``problems`` for a catalog entry as check and render both see it."""
    if entry.msgid_plural or any(entry.msgstr_plural.values()):
        return [
            "written with plural forms (msgid_plural, msgstr[n]); this text has one form: write it as msgstr"
        ]
    return problems(entry.msgid, entry.msgstr, plain=entry.msgctxt == interface.CONTEXT)


def characters(text: str) -> list[str]:
    """Characters that change what a reader sees without being seen: controls, bidi, invisibles."""
    found = []
    if _SURROGATE.search(text):
        return ["a lone surrogate (U+D800–DFFF): not a character"]
    bad = _CONTROL.search(text.replace("\n", ""))
    if bad:
        found.append(f"control character U+{ord(bad.group()):04X} in the translation")
    bidi = _BIDI.search(text)
    if bidi:
        code = ord(bidi.group())
        found.append(f"bidirectional control U+{code:04X}: EU languages are written left to right")
    hidden = _hidden(text)
    if hidden:
        found.append(hidden)
    if _stacked(text) > MAX_COMBINING:
        found.append(f"more than {MAX_COMBINING} combining marks on one letter")
    return found


def _is_mark(char: str) -> bool:
    return unicodedata.category(char)[0] == "M" or unicodedata.combining(char) > 0


# Marks, blanks and format characters are all outside ASCII: only these stretches are read.
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _stacked(text: str) -> int:
    """The most marks on one letter: every mark counts (any script, any block), and so does
    anything invisible between them, which could otherwise restart the count."""
    most = 0
    for stretch in _NON_ASCII.findall(text):
        run = 0
        for char in stretch:
            if _is_mark(char) or char in ZERO_WIDTH or char in BLANK:
                run += 1
                most = max(most, run)
            else:
                run = 0
    return most


def _hidden(text: str) -> str:
    """The first character that hides: a zero-width one outside a word, a variation selector,
    a letter that draws nothing, or another format character."""
    selector = _SELECTORS.search(text)
    if selector:
        return f"variation selector U+{ord(selector.group()):04X}: it draws nothing and no EU text needs it"
    found = _BLANK.search(text)
    if found:
        blank = found.group()
        return f"invisible character U+{ord(blank):04X} ({unicodedata.name(blank, 'unnamed')})"
    for i in (i for stretch in _NON_ASCII.finditer(text) for i in range(*stretch.span())):
        char = text[i]
        if char in ZERO_WIDTH:
            inside = 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
            if not inside:
                return f"invisible character U+{ord(char):04X} outside a word"
        elif (
            char not in BIDI
            and char != _SOFT_HYPHEN
            and unicodedata.category(char) in ("Cf", "Co", "Cn", "Cs")
        ):
            return f"invisible or unassigned character U+{ord(char):04X} ({unicodedata.category(char)})"
    return ""


def _shown(msgid: str, msgstr: str, seen: str, shown: str) -> list[str]:
    """What the reader sees must be text: no tags, and something where the source has something."""
    found = []
    tag = _TAG.search(shown)
    if tag and not _TAG.search(seen):
        found.append(
            f"HTML in the text ({shown[tag.start() : tag.start() + 12]!r}): it would print as written"
        )
    if _visible(seen) and not _visible(shown):
        found.append("the translation shows nothing where the source shows text")
    gate = interface.GATES.get(msgid)
    if gate and not re.search(r"[^\W\d_]", shown):
        found.append(f"the {gate} must say something: it shows no letter")
    return found


def _spacing(text: str) -> list[str]:
    """An interface string is one line of text: no run of spaces (of any width) to push what
    it says out of its box, and none at its ends."""
    if re.search(r"\s{2,}", text):
        return ["a run of spaces in an interface string: it could push its text out of view"]
    if text != text.strip():
        return ["spaces at the start or end of an interface string"]
    return []


def visible(char: str) -> bool:
    """Whether a character draws something by itself: a letter, digit, punctuation or symbol
    (marks only sit on a letter; spaces, joiners and format characters draw nothing)."""
    return unicodedata.category(char)[0] in "LNPS" and char not in BLANK and char != _SOFT_HYPHEN


def _visible(text: str) -> bool:
    return any(visible(c) for c in text)


def _markdown(msgid: str, msgstr: str) -> list[str]:
    found: list[str] = []
    if markup.has_raw_html(msgstr) and not markup.has_raw_html(msgid):
        found.append("raw HTML in the translation (write Markdown; HTML is never rendered)")
    source_tokens = markup.parsed(msgid)
    target_tokens = markup.parsed(msgstr, permissive=True)
    source, target = markup.elements(source_tokens), markup.elements(target_tokens)
    found += _targets(source, target)
    found += _counts(source, target)
    deep, allowed = markup.depth(target_tokens), markup.depth(source_tokens)
    if deep > allowed:
        found.append(f"emphasis and links nested {deep} deep, deeper than the source's {allowed}")
    if _empty_links(target_tokens) > _empty_links(source_tokens):
        found.append("a link with no text: readers cannot see it, but can click it")
    seen, shown = markup.visible_text(msgid, urls=True), markup.visible_text(msgstr, urls=True)
    return found + _shown(msgid, msgstr, seen, shown)


def _empty_links(children: Sequence[Token]) -> int:
    empty, texts = 0, []
    for tok in children:
        if tok.type == "link_open":
            texts.append("")
        elif tok.type == "link_close" and texts:
            empty += not _visible(texts.pop())
        elif texts and tok.type in ("text", "code_inline"):
            texts[-1] += tok.content
        elif texts and tok.type == "image":
            texts[-1] += "image"
    return empty


def _targets(source: list[markup.Element], target: list[markup.Element]) -> list[str]:
    """A translation keeps the source's own targets; a new one may only be a web page or an anchor."""
    own = {e.value for e in source if e.kind in ("link", "autolink", "image")}
    found = []
    for element in target:
        if (
            element.kind in ("link", "autolink")
            and element.value not in own
            and not link_allowed(element.value)
        ):
            found.append(f"link target {element.value!r} is not allowed (only http, https, mailto, #anchor)")
        if element.kind == "image" and element.value not in own:
            found.append("image in the translation that the source does not have")
    return found


def _counts(source: list[markup.Element], target: list[markup.Element]) -> list[str]:
    """No more footnote references, links or images than the source has, and none it lacks."""
    found = []
    labels = {e.value for e in source if e.kind == "footnote"}
    for label in dict.fromkeys(e.value for e in target if e.kind == "footnote"):
        if label not in labels:
            found.append(f"footnote reference [^{label}] that the source does not have")
    kinds = {"link": "links", "autolink": "links", "footnote": "footnote references", "image": "images"}
    have = Counter(kinds[e.kind] for e in target if e.kind in kinds)
    want = Counter(kinds[e.kind] for e in source if e.kind in kinds)
    for name in dict.fromkeys(kinds.values()):
        if have[name] > want[name]:
            found.append(f"{have[name]} {name} where the source has {want[name]}")
    return found
