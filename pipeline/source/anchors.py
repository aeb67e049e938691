"""Ids in a document: headings get one from their source text, footnotes from their label.

A heading's id is computed from the *source* heading, so it is the same in every language:
its visible text in lower case, with letters, digits, ``-`` and ``_`` kept, spaces made
hyphens and everything else dropped (GitHub's rule, so ``[Tabs](#tabs)`` works as it does
there); a heading with none of those is ``section``. The second heading with the same id
gets ``-1``, the third ``-2``. Ids starting ``fn-`` and ``fnref-`` belong to footnotes: a
heading that would get one is given ``section-`` before it.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from markdown_it.token import Token

from . import markup


def _escape(label: str) -> str:
    """A footnote label as an id: letters, digits and hyphens kept, anything else written as _hex_
    (one to one, so two labels never share an id, and nothing in it can leave an attribute)."""
    return re.sub(r"[^A-Za-z0-9-]", lambda m: f"_{ord(m.group()):x}_", label)


def note_id(label: str) -> str:
    return f"fn-{_escape(label)}"


def ref_id(label: str, nth: int = 1) -> str:
    return f"fnref-{_escape(label)}" + (f"-{nth}" if nth > 1 else "")


def target_id(href: str) -> str | None:
    """The id an in-document link points to (``#a%C3%A9`` -> ``aé``); None for any other link."""
    if not href.startswith("#") or href == "#":
        return None
    return unquote(href[1:])


def slug(text: str) -> str:
    kept = "".join(c for c in text.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-") or "section"


def assign_heading_ids(tokens: list[Token], footnote_labels: list[str]) -> dict[str, int]:
    """Set an ``id`` on every heading of ``tokens``; the ids, each with its token's line (0-based)."""
    taken = {note_id(label) for label in footnote_labels}
    found: dict[str, int] = {}
    for i, tok in enumerate(tokens):
        if tok.type != "heading_open" or i + 1 >= len(tokens):
            continue
        base = slug(markup.visible_tokens(tokens[i + 1].children or [], urls=True))
        if base.startswith(("fn-", "fnref-")):
            base = f"section-{base}"
        ident, n = base, 0
        while ident in taken or ident in found:
            n += 1
            ident = f"{base}-{n}"
        tok.attrSet("id", ident)
        found[ident] = tok.map[0] if tok.map else 0
    return found
