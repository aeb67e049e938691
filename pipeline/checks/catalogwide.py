"""Findings about a catalog as a whole: mass approval, and one translation copied onto another entry."""

from __future__ import annotations

import re

from ..catalogs import marks, po
from ..catalogs.marks import State
from ..config import Config
from ..source import interface, markup
from .findings import WARNING, Finding

# Identical text under different sources is normal for a label of a word or two.
_MIN_COPIED_WORDS = 3


def findings(config: Config, code: str, catalog: po.Catalog) -> list[Finding]:
    return [*_mass_approval(config, code, catalog), *_copies(code, catalog)]


def _mass_approval(config: Config, code: str, catalog: po.Catalog) -> list[Finding]:
    entries = catalog.entries()
    approved = sum(1 for e in entries if marks.state(e) is State.APPROVED)
    if not entries or approved <= config.mass_approval_share * len(entries):
        return []
    message = (
        f"{approved} of {len(entries)} entries are approved unchanged from a draft or machine text "
        "(fuzzy cleared, nothing edited): was each one read? (mass-approval-share "
        f"{config.mass_approval_share:g})"
    )
    return [Finding(catalog.path, 1, WARNING, "mass-approval", message, code)]


def _words(entry_text: str, plain: bool) -> int:
    return len(re.findall(r"\w+", entry_text if plain else markup.visible_text(entry_text)))


def _copies(code: str, catalog: po.Catalog) -> list[Finding]:
    """A msgstr identical to another entry's for a different msgid: a merge tool filled one from
    its neighbour, or a paste went to the wrong entry. The PDF would print the text twice."""
    first: dict[str, tuple[int, str]] = {}
    found = []
    for entry in catalog.entries():
        plain = entry.msgctxt == interface.CONTEXT
        if not entry.msgstr or _words(entry.msgstr, plain) < _MIN_COPIED_WORDS:
            continue
        seen = first.setdefault(entry.msgstr, (entry.linenum, entry.msgid))
        if seen[1] != entry.msgid:
            message = (
                f"the same translation as line {seen[0]}, whose source is different "
                f"({po.short(seen[1])!r}): copied from it?"
            )
            found.append(
                Finding(
                    catalog.path,
                    entry.linenum,
                    WARNING,
                    "copied",
                    message,
                    code,
                    entry.msgctxt,
                    marks.digest(entry.msgid),
                )
            )
    return found
