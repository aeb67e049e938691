"""TMX 1.4b: read (untrusted: no DTD, no entities, no external references) and write.

The standard library's ElementTree writes it; defusedxml reads it, refusing entity expansion
and external entities. Translate Toolkit's TMX storage (GPL-3.0+) stays out of this MIT package.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from .. import languages
from ..version import __version__
from .units import Unit

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Inline codes of TMX: a unit holding them carries another format's markup, not Markdown.
_INLINE = {"bpt", "ept", "it", "ph", "ut", "sub"}


class TMXError(ValueError):
    """A TMX file that cannot be read (the message says why; ``line`` where known)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Pair:
    """One source and one target text read from a file, before it becomes a unit."""

    language: str
    source: str
    target: str
    context: str | None = None


@dataclass
class Reading:
    pairs: list[Pair]
    skipped: dict[str, int]  # why a unit was left out, and how often


def language_code(tag: str) -> str | None:
    """The pipeline's code for a language tag (``de-DE``, ``pt-PT``, ``EL``); None for others."""
    parts = tag.replace("_", "-").lower().split("-")
    code = parts[0]
    if code == "pt" and len(parts) > 1 and parts[1] != "pt":
        return None  # Brazilian Portuguese is not the EU's
    if code == "en" or code not in languages.TARGET_CODES:
        return None
    return code


def _text(seg: ET.Element) -> str | None:
    """A segment's text; None where it holds inline codes (another format's markup)."""
    if len(seg) == 0:  # no element inside: the common case
        return seg.text or ""
    if any(child.tag in _INLINE for child in seg.iter() if child is not seg):
        return None
    return "".join(seg.itertext())


def _root(data: bytes) -> ET.Element:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise TMXError(f"refused: {type(exc).__name__} (DTDs and entities are not read)") from exc
    except ET.ParseError as exc:
        raise TMXError(f"not well-formed XML: {exc}", exc.position[0]) from exc
    if root.tag != "tmx":
        raise TMXError(f"not a TMX file: the root element is <{root.tag}>")
    header = root.find("header")
    if header is None or root.find("body") is None:
        raise TMXError("a TMX file needs a <header> and a <body>")
    srclang = (header.get("srclang") or "").lower()
    if srclang != "*all*" and not srclang.startswith("en"):
        raise TMXError(f"source language {header.get('srclang')!r}: the memory's source is English")
    return root


def parse(data: bytes) -> Reading:
    """The pairs of a TMX document whose source language is English."""
    pairs: list[Pair] = []
    skipped: dict[str, int] = {}
    for tu in _root(data).iter("tu"):
        texts: dict[str, str | None] = {}
        for tuv in tu.findall("tuv"):
            seg = tuv.find("seg")
            tag = tuv.get(XML_LANG) or tuv.get("lang") or ""
            if seg is not None and tag:
                texts.setdefault(tag.lower(), _text(seg))
        source = next((t for tag, t in texts.items() if tag == "en" or tag.startswith("en-")), None)
        if source is None:
            skipped["no English text"] = skipped.get("no English text", 0) + 1
            continue
        for tag, target in texts.items():
            code = language_code(tag)
            if code is None:
                continue
            if target is None:
                skipped["inline codes"] = skipped.get("inline codes", 0) + 1
            elif target.strip():
                pairs.append(Pair(code, source, target))
    return Reading(pairs, skipped)


def write(units: Iterable[Unit], code: str) -> bytes:
    """TMX 1.4b of one language's units, each with its state, origin and kind as properties."""
    root = ET.Element("tmx", version="1.4")
    header = {
        "creationtool": "pipeline",
        "creationtoolversion": __version__,
        "datatype": "plaintext",
        "segtype": "paragraph",
        "adminlang": "en",
        "srclang": "en",
        "o-tmf": "PO",
    }
    ET.SubElement(root, "header", header)
    body = ET.SubElement(root, "body")
    html = languages.get(code).html_lang
    for unit in sorted(units, key=lambda u: (u.origin, u.context or "", u.source)):
        tu = ET.SubElement(body, "tu")
        for name, value in (
            ("x-pipeline-state", unit.state),
            ("x-pipeline-origin", unit.origin),
            ("x-pipeline-kind", unit.kind),
            ("x-pipeline-context", unit.context),
        ):
            if value:
                ET.SubElement(tu, "prop", type=name).text = value
        for tag, text in (("en", unit.source), (html, unit.target)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: tag})
            ET.SubElement(tuv, "seg").text = text
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode("utf-8")
