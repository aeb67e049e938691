"""Findings a reviewer accepts from inside the .po: a translator comment bound to the entry's text.

``# accept: glossary 1a2b3c4d`` accepts the entry's glossary findings while its msgid and
msgstr are what the hash was taken of: an edit of either voids it. A translator comment
survives msgcat, msgmerge, Poedit, Lokalize and Weblate (a custom ``#,`` flag would not).
"""

from __future__ import annotations

import hashlib
import re

import polib

# What can never be accepted: it would change what renders, or break it.
NEVER = frozenset({"unsafe", "markup", "placeholders", "glyph"})
_LINE = re.compile(r"^accept:\s+([a-z-]+)\s+([0-9a-f]{8})\s*$")


def binding(entry: polib.POEntry) -> str:
    """The hash an acceptance is bound to: the entry's msgid and msgstr as they are."""
    return hashlib.sha256(f"{entry.msgid}\0{entry.msgstr}".encode()).hexdigest()[:8]


def line(code: str, entry: polib.POEntry) -> str:
    """The translator comment that accepts ``code`` on ``entry`` as it is now."""
    return f"accept: {code} {binding(entry)}"


def accepted(entry: polib.POEntry) -> set[str]:
    """The finding codes the entry's comments accept for its current text."""
    bound = binding(entry)
    found = set()
    for comment in (entry.tcomment or "").splitlines():
        match = _LINE.match(comment.strip())
        if match and match.group(2) == bound and match.group(1) not in NEVER:
            found.add(match.group(1))
    return found
