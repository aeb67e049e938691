"""Findings for one translated entry: its source against its translation."""

from __future__ import annotations

import re
from collections import Counter

import polib

from ..catalogs import glossary, marks, safety
from ..source import anchors, interface, markup
from ..typeset import fonts
from .findings import ERROR, WARNING
from .script import check_script
from .typography import Found, check_punctuation

# Usual length of a translation against English (characters), and the tolerance.
LENGTH_RATIO: dict[str, float] = {
    "de": 1.2,
    "fr": 1.2,
    "es": 1.2,
    "it": 1.15,
    "pt": 1.15,
    "nl": 1.15,
    "el": 1.2,
    "ga": 1.25,
    "fi": 1.1,
    "hu": 1.15,
    "ro": 1.15,
    "pl": 1.1,
    "bg": 1.15,
    "lt": 1.05,
    "lv": 1.05,
}
_NUMBER = re.compile(r"\d+(?:[,.\u00a0\u202f ]\d{3})*")
# The markup that must come back one for one (links are compared by count and target).
_KEPT = ("em", "strong", "footnote", "break", "code", "autolink", "image")


def numbers(shown: str) -> Counter[str]:
    """The numbers in the text a reader sees, digits only (grouping differs by language)."""
    return Counter(re.sub(r"\D", "", n) for n in _NUMBER.findall(shown))


def _check_markup(msgid: str, msgstr: str) -> Found:
    src = markup.elements(markup.parsed(msgid))
    dst = markup.elements(markup.parsed(msgstr))
    found: Found = []
    kept_src, kept_dst = [e for e in src if e.kind in _KEPT], [e for e in dst if e.kind in _KEPT]
    if kept_src != kept_dst:  # most entries keep their markup as it is, in its order: no diff to make
        for kind in _KEPT:
            changed = markup.diff(
                [e for e in kept_src if e.kind == kind], [e for e in kept_dst if e.kind == kind]
            )
            if changed:
                found.append((ERROR, "markup", changed.describe()))
    links_src = [e.value for e in src if e.kind == "link"]
    links_dst = [e.value for e in dst if e.kind == "link"]
    if len(links_src) != len(links_dst):
        message = f"{len(links_src)} links in the source, {len(links_dst)} in the translation"
        return [*found, (ERROR, "markup", message)]
    for target in links_dst:
        if target not in links_src and not re.match(r"https?://", target):
            message = f"link target {target!r} is neither the source's nor an http(s) URL"
            found.append((ERROR, "link-target", message))
    return found


def _check_placeholders(entry: polib.POEntry) -> Found:
    # From the source, not the entry's flag: a translator deleting the flag turns no check off.
    if entry.msgctxt != interface.CONTEXT or entry.msgid not in interface.BRACE_FORMAT:
        return []
    if interface.same_fields(entry.msgid, entry.msgstr):
        return []
    return [(ERROR, "placeholders", "placeholders differ from the source's")]


def _check_terms(code: str, msgid: str, msgstr: str, terms: glossary.Glossary | None) -> Found:
    if terms is None:
        return []
    return [
        (
            ERROR,
            "glossary",
            f"{term.english!r} should be {' / '.join(term.accepted(code)[:4])!r} (locale/glossary.csv)",
        )
        for term in terms.missing(msgid, msgstr, code)
    ]


def _check_references(code: str, seen: str, shown: str, terms: glossary.Glossary | None) -> Found:
    """A cited number keeps the unit the glossary gives it: "Article 5" is "Artikel 5", "5. cikk"."""
    if terms is None:
        return []
    return [
        (
            ERROR,
            "reference",
            f"{term.english.replace(glossary.CITED, number)!r} should read "
            f"{' / '.join(f.replace(glossary.CITED, number) for f in term.accepted(code)[:4])!r}"
            " (locale/glossary.csv)",
        )
        for term, number in terms.miscited(seen, shown, code)
    ]


def _check_copy_and_spaces(msgid: str, msgstr: str, seen: str) -> Found:
    found: Found = []
    if msgstr == msgid and len(re.findall(r"[^\W\d_]{2,}", seen)) >= 3:
        found.append((WARNING, "untranslated", "the translation is a copy of the source"))
    if msgstr != msgstr.strip():
        found.append((WARNING, "whitespace", "leading or trailing whitespace"))
    if re.search(r"[^\S\n]{2,}", msgstr):
        found.append((WARNING, "whitespace", "doubled spaces"))
    return found


def _check_length(code: str, msgid: str, seen: str, shown: str) -> Found:
    if len(msgid) < 40:
        return []
    ratio = len(shown) / max(1, len(seen))
    usual = LENGTH_RATIO.get(code, 1.1)
    if usual / 2.2 <= ratio <= usual * 2.2:
        return []
    return [(WARNING, "length", f"{ratio:.1f}× the source's length (usual: about {usual:.1f}×)")]


def _check_anchors(msgid: str, msgstr: str, ids: frozenset[str] | None) -> Found:
    """An in-document link the translation brings must go to a heading the document has."""
    if ids is None:
        return []
    own = {e.value for e in markup.elements(markup.parsed(msgid)) if e.kind == "link"}
    return [
        (ERROR, "link-target", f"link to #{ident}: the document has no heading with that id")
        for e in markup.elements(markup.parsed(msgstr))
        if e.kind == "link"
        and e.value not in own
        and (ident := anchors.target_id(e.value)) is not None
        and ident not in ids
    ]


def check_entry(
    code: str, entry: polib.POEntry, terms: glossary.Glossary | None, ids: frozenset[str] | None = None
) -> Found:
    """(severity, code, message) for one translated entry.

    An interface string (``msgctxt "interface"``) is text, not Markdown: it is checked as text,
    and only its ``{fields}`` are special.
    """
    msgid, msgstr = entry.msgid, entry.msgstr
    if not marks.translated(entry):
        return []
    unsafe = [(ERROR, "unsafe", p) for p in safety.entry_problems(entry)]
    if unsafe:
        return unsafe
    plain = entry.msgctxt == interface.CONTEXT
    glyphs = fonts.missing(msgstr if plain else markup.visible_text(msgstr, urls=True))
    if glyphs:  # render refuses them too: fontconfig would draw them in some other face
        shown_chars = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in glyphs[:3])
        return [(ERROR, "glyph", f"the typeface has no glyph for {shown_chars}")]
    seen, shown = (msgid, msgstr) if plain else (markup.visible_text(msgid), markup.visible_text(msgstr))
    missing = numbers(seen) - numbers(shown)
    return [
        *([] if plain else _check_markup(msgid, msgstr)),
        *([] if plain else _check_anchors(msgid, msgstr, ids)),
        *_check_placeholders(entry),
        *(
            [(ERROR, "numbers", f"number(s) {', '.join(sorted(missing))} of the source missing")]
            if missing
            else []
        ),
        *_check_terms(code, seen, shown, terms),
        *_check_references(code, seen, shown, terms),
        *check_script(code, entry.msgctxt, msgstr, terms),
        *_check_copy_and_spaces(msgid, msgstr, seen),
        *check_punctuation(code, seen, shown),
        *_check_length(code, msgid, seen, shown),
    ]
