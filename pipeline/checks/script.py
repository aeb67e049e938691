"""Script mixing: a word in Latin script inside a Greek or Cyrillic translation.

São Paulo is written Σάο Πάολο in Greek and Сао Пауло in Bulgarian; a Latin word left there is
usually a slip. Not flagged: acronyms (RBI, IMCO), names the glossary keeps as they are in
every language (``translate = no``), and what a reader does not read as words of the text:
link targets, addresses, code and {fields}. Being in the source is not enough.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..catalogs import glossary
from ..source import interface, markup
from .findings import WARNING
from .typography import Found

# The languages written in another script than Latin, and that script's name in Unicode.
SCRIPTS = {"el": "GREEK", "bg": "CYRILLIC"}
_WORD = re.compile(r"[^\W\d_]+")
ACRONYM = 6  # an all-capitals word up to this long is an acronym (RBI, IMCO, GDPR)


@lru_cache(maxsize=4096)
def _latin(word: str) -> bool:
    return all(unicodedata.name(c, "").startswith("LATIN") for c in word)


def _read_words(msgstr: str, plain: bool) -> list[str]:
    """The words a reader reads: text, not code, link targets or addresses."""
    if plain:
        return _WORD.findall(interface.FIELD.sub(" ", msgstr))
    words: list[str] = []
    autolink = False
    for tok in markup.parsed(msgstr):
        if tok.type == "link_open":
            autolink = tok.markup == "autolink"
        elif tok.type == "link_close":
            autolink = False
        elif (tok.type == "text" and not autolink) or tok.type == "image":
            words += _WORD.findall(tok.content)
    return words


def _kept(terms: glossary.Glossary | None) -> frozenset[str]:
    if terms is None:
        return frozenset()
    return _words_of(tuple(f for t in terms.words if not t.translate for f in t.english_forms()))


@lru_cache(maxsize=16)
def _words_of(names: tuple[str, ...]) -> frozenset[str]:
    """The words of the names the glossary keeps as they are (once per glossary, not per entry)."""
    return frozenset(w for name in names for w in _WORD.findall(name))


def check_script(code: str, msgctxt: str | None, msgstr: str, terms: glossary.Glossary | None) -> Found:
    script = SCRIPTS.get(code)
    if script is None:
        return []
    kept = _kept(terms)
    stray = sorted(
        {
            w
            for w in _read_words(msgstr, msgctxt == interface.CONTEXT)
            if _latin(w) and w not in kept and not (w.isupper() and len(w) <= ACRONYM)
        }
    )
    if not stray:
        return []
    name = script.title()
    return [
        (
            WARNING,
            "script",
            f"Latin-script word(s) in {name} text: {', '.join(stray[:5])}; write them in {name} script, "
            "or, for a name kept as it is in every language, add it to the glossary with translate = no",
        )
    ]
