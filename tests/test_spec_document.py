"""The CommonMark spec itself (9,756 lines, as it ships) as a document, translated by identity:
it renders, every internal link works, and every font in the PDF is the project's own."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline import config, render_language
from pipeline.catalogs import extract, po, update

from .commonmark import spec_text

CONFIG = '[tool.pipeline]\nsource = "source/spec.md"\ndomain = "spec"\nlanguages = ["de"]\n'


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("spec")
    (root / "source").mkdir()
    (root / "source" / "spec.md").write_text(spec_text(), encoding="utf-8")  # front matter and all, unedited
    (root / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    cfg = config.load(root)
    extract.extract(cfg)
    update.update(cfg, ["de"])
    path = cfg.catalog_path("de")
    catalog = po.read(path, "de")
    for entry in catalog.entries():
        entry.msgstr, entry.flags = entry.msgid, []  # a test's identity translation, not a review
    path.write_bytes(po.serialise(catalog.po, path))
    result = render_language(cfg, "de", ("pdf", "html"))
    pdf, html = sorted(result.paths, key=lambda p: p.suffix != ".pdf")
    return pdf, html


def test_every_internal_link_of_the_web_page_has_its_heading(rendered: tuple[Path, Path]) -> None:
    html = rendered[1].read_text(encoding="utf-8")
    ids = set(re.findall(r' id="([^"]+)"', html))
    targets = re.findall(r'href="#([^"]+)"', html)
    assert len(targets) >= 10  # the spec's links to its sections; its (@) terms are no headings
    assert [t for t in targets if t not in ids] == []


def test_every_internal_link_of_the_pdf_has_its_destination(rendered: tuple[Path, Path]) -> None:
    reader = PdfReader(rendered[0])
    names = set(reader.named_destinations)
    dests = [
        str(a.get_object()["/Dest"])
        for p in reader.pages
        for a in p.get("/Annots") or []
        if "/Dest" in a.get_object()
    ]
    assert len(dests) >= 10 and set(dests) <= names
    assert len(reader.outline) > 10  # bookmarks follow the headings


def test_every_font_of_the_pdf_is_the_projects(rendered: tuple[Path, Path]) -> None:
    listing = subprocess.run(
        ["pdffonts", str(rendered[0])], capture_output=True, text=True, check=True
    ).stdout
    names = [line.split()[0] for line in listing.splitlines()[2:]]
    assert {n.split("+", 1)[1] for n in names} >= {"Letter-Serif", "Letter-Mono", "Letter-Math"}
    assert all(re.fullmatch(r"[A-Z]{6}\+Letter-[A-Za-z0-9-]+", n) for n in names), names
