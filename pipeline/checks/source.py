"""Findings for the source document: link targets to fill in, footnotes defined and referenced."""

from __future__ import annotations

import re

from ..config import Config
from ..files import read_text
from ..source import document
from ..source.segments import blocks
from .findings import ERROR, WARNING, Finding


def check_source(config: Config) -> list[Finding]:
    doc = document.read(config)
    path = doc.path
    findings = []
    referenced: dict[str, int] = {}
    for block in blocks(doc):
        children = block.token.children or []
        for i, tok in enumerate(children):
            if tok.type == "link_open" and tok.attrGet("href") == "#":
                text = children[i + 1].content if i + 1 < len(children) else ""
                message = f"link {text!r} has a bare '#' target: fill in the URL"
                findings.append(Finding(path, block.line, WARNING, "missing-link-target", message))
            if tok.type == "footnote_ref":
                referenced.setdefault(str(tok.meta["label"]), block.line)
    return findings + _footnotes(doc, referenced)


def _footnotes(doc: document.Document, referenced: dict[str, int]) -> list[Finding]:
    lines = read_text(doc.path, "source document").splitlines()
    # The footnote plugin drops definitions nobody references: read them from the text.
    defined = {
        m.group(1): number for number, ln in enumerate(lines, 1) if (m := re.match(r"\[\^([^\]\s]+)\]:", ln))
    }
    findings = [
        Finding(doc.path, line, ERROR, "footnote", f"footnote [^{label}] is defined but never referenced")
        for label, line in defined.items()
        if label not in referenced
    ]
    # A reference to an undefined label stays text ("[^9]") in the parsed document.
    for number, text in enumerate(lines, 1):
        for label in re.findall(r"\[\^([^\]\s]+)\](?!:)", text):
            if label not in defined:
                message = f"footnote [^{label}] is referenced but never defined"
                findings.append(Finding(doc.path, number, ERROR, "footnote", message))
    return findings
