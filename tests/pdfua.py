"""A checker for the machine-checkable PDF/UA-1 conditions this project's PDFs can meet or miss,
on pikepdf (no vetted PDF/UA validator is packaged here: veraPDF is in neither Debian nor
PyPI). Each condition names its Matterhorn Protocol checkpoint. It is a list, not a validator:
what it does not list, it does not check (the README says which)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import pikepdf

XMP_PART = "{http://www.aiim.org/pdfua/ns/id/}part"
XMP_TITLE = "{http://purl.org/dc/elements/1.1/}title"
# The page box's margins in CSS px (A4, 22 mm top, 24 mm bottom), where only running content is.
PX = 0.75
TOP, BOTTOM = 22 / 25.4 * 96, 24 / 25.4 * 96


def _metadata(pdf: pikepdf.Pdf) -> Iterator[str]:
    meta = pdf.open_metadata()
    if "/Metadata" not in pdf.Root:
        yield "06-001: no XMP metadata stream in the catalog"
    if str(meta.get(XMP_PART, "")) != "1":
        yield "06-002: no pdfuaid:part 1 in the XMP metadata"
    if not str(meta.get(XMP_TITLE, "")).strip():
        yield "06-003: no dc:title in the XMP metadata"


def _catalog(pdf: pikepdf.Pdf) -> Iterator[str]:
    root = pdf.Root
    if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        yield "07-001: ViewerPreferences has no DisplayDocTitle true"
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
        yield "01-002: MarkInfo has no Marked true (not a tagged PDF)"
    if "/StructTreeRoot" not in root:
        yield "01-006: no structure tree"
    if not str(root.get("/Lang", "")).strip():
        yield "11-001: no natural language (/Lang) in the catalog"


def _elements(node: object) -> Iterator[pikepdf.Dictionary]:
    if isinstance(node, pikepdf.Array):
        for child in node:
            yield from _elements(child)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        yield node
        yield from _elements(node.get("/K"))


def _headings(pdf: pikepdf.Pdf) -> Iterator[str]:
    levels = [
        int(str(e.S)[2:])
        for e in _elements(pdf.Root.StructTreeRoot.get("/K"))
        if str(e.S)[:2] == "/H" and str(e.S)[2:].isdigit()
    ]
    if levels and levels[0] != 1:
        yield f"14-002: the first heading is H{levels[0]}, not H1"
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            yield f"14-003: heading levels skip from H{before} to H{after}"


def _annotations(pdf: pikepdf.Pdf) -> Iterator[str]:
    for number, page in enumerate(pdf.pages, 1):
        annots = list(page.obj.get("/Annots") or [])
        if annots and str(page.obj.get("/Tabs", "")) != "/S":
            yield f"28-010: page {number} has annotations but no /Tabs /S"
        for annot in annots:
            if str(annot.get("/Subtype")) != "/Link":
                continue
            if "/StructParent" not in annot:
                yield f"28-002: a link on page {number} is not in the structure tree"
            if not str(annot.get("/Contents", "")).strip():
                yield f"28-011: a link on page {number} has no alternate description (/Contents)"


def _fonts(pdf: pikepdf.Pdf) -> Iterator[str]:
    for number, page in enumerate(pdf.pages, 1):
        for name, font in (page.obj.Resources.get("/Font") or {}).items():
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0] if descendants else font).get("/FontDescriptor")
            files = ("/FontFile", "/FontFile2", "/FontFile3")
            if descriptor is None or not any(k in descriptor for k in files):
                yield f"31-001: font {font.get('/BaseFont')} ({name}) on page {number} is not embedded"


def _margins(pdf: pikepdf.Pdf) -> Iterator[str]:
    """Text in the page margins (the running header, page label, revision) must be an artifact."""
    for number, page in enumerate(pdf.pages, 1):
        height = float(page.mediabox[3]) / PX
        stack: list[str] = []
        y: float | None = None
        for operands, op in pikepdf.parse_content_stream(page):
            name = str(op)
            if name in ("BDC", "BMC"):
                stack.append(str(operands[0]))
            elif name == "EMC" and stack:
                stack.pop()
            elif name == "Tm":
                y = float(operands[5])
            elif name in ("TJ", "Tj") and _in_margin(y, height) and "/Artifact" not in stack:
                yield f"01-005: page {number}: text in the page margin is tagged content, not an artifact"
                break


def _in_margin(y: float | None, height: float) -> bool:
    return y is not None and (y < TOP or y > height - BOTTOM)


CONDITIONS: list[Callable[[pikepdf.Pdf], Iterator[str]]] = [
    _metadata,
    _catalog,
    _headings,
    _annotations,
    _fonts,
    _margins,
]


def failures(path: str) -> list[str]:
    """Every listed condition the PDF at ``path`` misses (empty: it meets them all)."""
    with pikepdf.open(path) as pdf:
        return [problem for condition in CONDITIONS for problem in condition(pdf)]


XMP_PDFA_PART = "{http://www.aiim.org/pdfa/ns/id/}part"
XMP_PDFA_CONFORMANCE = "{http://www.aiim.org/pdfa/ns/id/}conformance"


def pdfa3u_failures(path: str) -> list[str]:
    """PDF/A-3u's own conditions (ISO 19005-3) this project's archival PDFs can meet or miss:
    XMP identification, an output intent with its ICC profile, embedded fonts, a file
    identifier, no encryption, no JavaScript, and transparency only with an output intent."""
    found: list[str] = []
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        if str(meta.get(XMP_PDFA_PART, "")) != "3" or str(meta.get(XMP_PDFA_CONFORMANCE, "")) != "U":
            found.append("6.6.4: XMP does not identify PDF/A-3u (pdfaid:part 3, conformance U)")
        intents = list(pdf.Root.get("/OutputIntents") or [])
        if not any(str(i.get("/S")) == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
            found.append("6.2.3: no PDF/A output intent with an ICC profile")
        if "/ID" not in pdf.trailer:
            found.append("6.1.3: no file identifier (/ID) in the trailer")
        if pdf.is_encrypted:
            found.append("6.1.3: the file is encrypted")
        if "/JavaScript" in (pdf.Root.get("/Names") or {}) or "/OpenAction" in pdf.Root:
            found.append("6.6.1: JavaScript or an open action")
        for number, page in enumerate(pdf.pages, 1):
            states = (page.obj.Resources.get("/ExtGState") or {}).values()
            transparent = any(_transparent(g) for g in states)
            if transparent and not intents:
                found.append(f"6.2.10: page {number} uses transparency without an output intent")
        found += list(_fonts(pdf))  # every font embedded
    return found


def _transparent(state: pikepdf.Dictionary) -> bool:
    if float(state.get("/ca", 1)) < 1 or float(state.get("/CA", 1)) < 1:
        return True
    return "/SMask" in state and str(state.SMask) != "/None"
