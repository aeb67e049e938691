"""What a translation may put into a document: translations are untrusted input."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from ..source import markup

# A translation this much longer than its source is refused before layout.
MAX_RATIO = 5
MAX_SLACK = 200
ALLOWED_SCHEMES = ("http", "https", "mailto")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def link_allowed(href: str) -> bool:
    """http(s), mailto: and in-document anchors; nothing that reads files or runs code."""
    if href.startswith("#"):
        return True
    scheme = urlsplit(href).scheme.lower()
    return scheme in ALLOWED_SCHEMES


def problems(msgid: str, msgstr: str) -> list[str]:
    """Why ``msgstr`` may not be rendered in place of ``msgid`` (empty: it may)."""
    found: list[str] = []
    if len(msgstr) > MAX_RATIO * len(msgid) + MAX_SLACK:
        found.append(
            f"translation is {len(msgstr):,} characters for a source of {len(msgid):,}: "
            "far longer than any translation could be"
        )
        return found
    bad = _CONTROL.search(msgstr.replace("\n", ""))
    if bad:
        found.append(f"control character U+{ord(bad.group()):04X} in the translation")
    if markup.has_raw_html(msgstr) and not markup.has_raw_html(msgid):
        found.append("raw HTML in the translation (write Markdown; HTML is never rendered)")
    source = markup.elements(markup.parse_inline(msgid))
    target = markup.elements(markup.parse_inline(msgstr, permissive=True))
    for element in target:
        if element.kind in ("link", "autolink") and not link_allowed(element.value):
            found.append(f"link target {element.value!r} is not allowed (only http, https, mailto, #anchor)")
    extra_images = Counter(e for e in target if e.kind == "image") - Counter(
        e for e in source if e.kind == "image"
    )
    if extra_images:
        found.append("image in the translation that the source does not have")
    labels = {e.value for e in source if e.kind == "footnote"}
    for element in target:
        if element.kind == "footnote" and element.value not in labels:
            found.append(f"footnote reference [^{element.value}] that the source does not have")
    return found
