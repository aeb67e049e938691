"""Findings for the source document: link targets to fill in, footnotes defined and referenced."""

from __future__ import annotations

import difflib
import re
from urllib.parse import urlsplit

from ..catalogs import safety
from ..config import Config
from ..files import read_text
from ..source import anchors, document, markup
from ..source.segments import Kind, blocks, segments
from ..typeset import fonts
from .findings import ERROR, WARNING, Finding


def check_source(config: Config, doc: document.Document | None = None) -> list[Finding]:
    """Findings for the source (``doc``: the source, where it is read already)."""
    doc = doc or document.read(config)
    path = doc.path
    findings = []
    referenced: dict[str, int] = {}
    for block in blocks(doc):
        children = block.token.children or []
        for i, tok in enumerate(children):
            if tok.type == "link_open":
                text = children[i + 1].content if i + 1 < len(children) else ""
                findings += [
                    Finding(path, block.line, severity, kind, message)
                    for severity, kind, message in _target(doc, str(tok.attrGet("href") or ""), text)
                ]
            if tok.type == "footnote_ref":
                referenced.setdefault(str(tok.meta["label"]), block.line)
    findings += [Finding(path, exc.line or 1, ERROR, "image", exc.message) for exc in doc.images.refused]
    return findings + _footnotes(doc, referenced) + _characters(config, doc)


def _target(doc: document.Document, href: str, text: str) -> list[tuple[str, str, str]]:
    """What is wrong with a link target of the source: one render leaves as text, or one that
    leads nowhere in the PDF."""
    if href == "#":
        return [(WARNING, "missing-link-target", f"link {text!r} has a bare '#' target: fill in the URL")]
    ident = anchors.target_id(href)
    if ident is not None:
        if ident in doc.headings:
            return []
        near = difflib.get_close_matches(ident, list(doc.headings), n=1)
        hint = f" (did you mean #{near[0]}?)" if near else ""
        return [(ERROR, "link-target", f"link {text!r} goes to #{ident}, but no heading has that id{hint}")]
    scheme = urlsplit(href).scheme.lower()
    if not scheme:
        message = (
            f"link {text!r} has the relative target {href[:80]!r}: on the web it depends on where "
            "the page is published, and in the PDF it leads nowhere"
        )
        return [(WARNING, "link-target", message)]
    if scheme not in safety.ALLOWED_SCHEMES:
        return [(WARNING, "link-target", f"link {text!r} uses {scheme}:, which few readers can open")]
    return []


def _characters(config: Config, doc: document.Document) -> list[Finding]:
    """The source's own texts under the rules translations meet: no hidden or reordering
    characters, and none the typeface cannot draw (render refuses those)."""
    findings = []
    for seg in segments(doc, config.root):
        if seg.kind is Kind.INTERFACE:
            continue
        shown = markup.visible_text(seg.msgid, urls=True)
        problems = safety.characters(seg.msgid) or safety.characters(shown)
        glyphs = fonts.missing(shown)
        if glyphs:
            problems.append(f"the typeface has no glyph for {glyphs[0]!r} (U+{ord(glyphs[0]):04X})")
        rel, line = seg.references[0] if seg.references else (str(doc.path), 1)
        findings += [Finding(config.root / rel, line, ERROR, "unsafe", p) for p in problems]
    return findings


def _footnotes(doc: document.Document, referenced: dict[str, int]) -> list[Finding]:
    lines = read_text(doc.path, "source document").splitlines()
    # The footnote plugin drops definitions nobody references: read them from the text.
    definition = re.compile(r"\[\^([^\]\s]{1,999})\]:")
    defined = {m.group(1): number for number, ln in enumerate(lines, 1) if (m := definition.match(ln))}
    findings = [
        Finding(doc.path, line, ERROR, "footnote", f"footnote [^{label}] is defined but never referenced")
        for label, line in defined.items()
        if label not in referenced
    ]
    # A reference to an undefined label stays text ("[^9]") in the parsed document.
    for number, text in enumerate(lines, 1):
        for label, end in markup.footnote_refs(text):
            if label not in defined and not text.startswith(":", end):
                message = f"footnote [^{label}] is referenced but never defined"
                findings.append(Finding(doc.path, number, ERROR, "footnote", message))
    return findings
