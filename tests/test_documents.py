"""Documents other than the letter: a briefing with no place, date or signatories, and with
headings that link to each other, a table, a quotation, nested lists, code and an image."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from pypdf import PdfReader

from pipeline import config, render_language
from pipeline.catalogs import extract, po, update
from pipeline.checks import catalog as checks
from pipeline.checks.source import check_source
from pipeline.errors import SourceError
from pipeline.mt import run as translate
from pipeline.source import anchors, document, interface, markup
from pipeline.source.segments import Kind, segments
from pipeline.typeset import page
from pipeline.typeset.lookup import Translation

from .allowlist import violations
from .fake_engine import FakeEngine
from .helpers import DATA

CONFIG = '[tool.pipeline]\nsource = "source/briefing.md"\ndomain = "briefing"\nlanguages = ["de", "el"]\n'


@pytest.fixture
def brief(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> config.Config:
    shutil.copytree(DATA / "briefing", tmp_path, dirs_exist_ok=True)
    (tmp_path / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cfg = config.load(tmp_path)
    extract.extract(cfg)
    update.update(cfg, ["de"])
    return cfg


def _edit(cfg: config.Config, old: str, new: str) -> None:
    text = cfg.source_path.read_text(encoding="utf-8")
    assert old in text, old
    cfg.source_path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_document_needs_no_place_date_or_signatories(brief: config.Config) -> None:
    doc = document.read(brief)
    assert doc.place is None and doc.date is None and not doc.signatories.organisations
    assert doc.extra == {"author": "Reclaim Your Face", "version": "1.2", "licence": "CC BY 4.0"}
    keys = {s.msgid for s in segments(doc, brief.root) if s.kind is Kind.INTERFACE}
    # No dateline and no signatories' headings to translate where the document has none.
    assert interface.STRINGS["dateline"].msgid not in keys
    assert interface.STRINGS["organisations"].msgid not in keys
    assert interface.STRINGS["draft_mark"].msgid in keys


def test_blocks_are_entries_cell_by_cell_and_code_is_never_one(brief: config.Config) -> None:
    by_kind: dict[Kind, list[str]] = {}
    for seg in segments(document.read(brief), brief.root):
        by_kind.setdefault(seg.kind, []).append(seg.msgid)
    assert by_kind[Kind.TABLE_CELL] == ["Country", "Systems", "Note", "Italy", "a moratorium", "Germany",
                                        "*under review*"]  # fmt: skip
    assert by_kind[Kind.QUOTATION] == ["A ban is the only safeguard that works.", "It is also the simplest."]
    assert "by public actors;" in by_kind[Kind.LIST_ITEM] and "by private actors." in by_kind[Kind.LIST_ITEM]
    every = [m for found in by_kind.values() for m in found]
    # A cell of a number is the same in every language; a code block is never text to translate.
    assert "3" not in every and "12" not in every
    assert not any("pipeline render --lang de" in m for m in every)
    assert "Run `pipeline check` before sending, as in:" in every


def _translated_page(cfg: config.Config) -> str:
    translate.translate(cfg, ["de"], FakeEngine())
    [result] = [render_language(cfg, "de", ("html", "pdf"))]
    return next(p for p in result.paths if p.suffix == ".html").read_text(encoding="utf-8")


def test_a_translated_briefing_keeps_its_structure(brief: config.Config) -> None:
    html = _translated_page(brief)
    assert violations(html) == []
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html)
    assert cells[:3] == ["[DE] Country", "[DE] Systems", "[DE] Note"]
    assert cells[4] == "3" and '<td class="align-right">12</td>' in html  # numbers as they are
    assert "<blockquote>\n<p>[DE] A ban" in html
    assert re.search(
        r"<ol>\s*<li>\[DE\] A ban on remote biometric identification:\s*<ul>\s*<li>\[DE\] by", html
    )
    assert (
        '<pre><code class="language-sh">pipeline check --lang de\npipeline render --lang de\n</code></pre>'
        in html
    )
    assert "<code>pipeline check</code>" in html  # a code span comes back as it went
    # Inlined; machine translation keeps a description as it was (a placeholder): a translator writes it.
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="A bar chart', html)


def test_headings_get_ids_from_the_source_and_links_to_them_work(brief: config.Config) -> None:
    html = _translated_page(brief)
    ids = set(re.findall(r' id="([^"]+)"', html))
    assert {
        "summary",
        "summary-1",
        "what-the-numbers-say",
        "what-to-ask-for",
    } <= ids  # same in every language
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids, target
    pdf = PdfReader(brief.root / "output" / "de" / "briefing-de.pdf")
    assert set(pdf.named_destinations) >= {"summary", "what-the-numbers-say", "what-to-ask-for"}
    links = [a.get_object().get("/Dest") for p in pdf.pages for a in p.get("/Annots") or []]
    assert {"what-the-numbers-say", "what-to-ask-for", "summary"} <= {str(d) for d in links}
    outline = [o.title for o in _flat(pdf.outline)]
    assert outline[0].startswith("[DE] Briefing: ") and outline[1] == "[DE] Summary"
    assert "[DE] What to ask for" in outline


def _flat(items: list[object]) -> list[object]:
    return [x for item in items for x in (_flat(item) if isinstance(item, list) else [item])]


def test_the_heading_id_rule() -> None:
    assert anchors.slug("What the numbers say?") == "what-the-numbers-say"
    assert anchors.slug("Über *uns* & mehr") == "über-uns--mehr"
    assert anchors.slug("***") == "section"
    md = "# Fn: one\n\n# Notes\n\n# Notes\n\n# fn-1\n"
    tokens = markup.parser().parse(md, {})
    found = anchors.assign_heading_ids(tokens, ["1"])
    assert list(found) == ["section-fn-one", "notes", "notes-1", "section-fn-1"]


def test_a_link_to_an_id_no_heading_has_is_a_source_error_at_its_line(brief: config.Config) -> None:
    _edit(brief, "[the summary](#summary)", "[the summary](#sumary)")
    [finding] = [f for f in check_source(brief) if f.severity == "error"]
    assert finding.line == 31 and "no heading has that id (did you mean #summary?)" in finding.message


def test_a_relative_target_is_a_warning_and_a_web_image_an_error(brief: config.Config) -> None:
    _edit(brief, "[the summary](#summary)", "[the summary](../summary.html)")
    _edit(brief, "(img/chart.png", "(https://tracker.example/p.png")
    found = {(f.severity, f.code): f for f in check_source(brief)}
    assert "relative target '../summary.html'" in found[("warning", "link-target")].message
    assert "from the web would tell its server who reads" in found[("error", "image")].message
    built = page.build_page(
        document.read(brief), Translation("en", None), mode="html", revision="r", organisation="O", fonts=[]
    )
    html = page.to_html(built)
    assert "tracker.example" not in html and "[A bar chart of systems per country]" in html


@pytest.mark.parametrize(
    ("src", "says"),
    [
        ("../../../../etc/hostname", "leads outside the project folder"),
        ("img/missing.png", "image not found"),
        ("briefing.md", "not a PNG, JPEG, GIF or WebP file"),
        ("data:image/png;base64,AAAA", "write a relative path"),
    ],
)
def test_an_image_is_a_checked_file_of_the_project(brief: config.Config, src: str, says: str) -> None:
    _edit(brief, "(img/chart.png", f"({src}")
    images = document.read(brief).images
    assert not images.shown and says in images.refused[0].message


def test_a_translation_that_links_to_a_missing_id_is_an_error_and_prints_as_text(
    brief: config.Config,
) -> None:
    path = brief.catalog_path("de")
    catalog = po.read(path, "de")
    entry = next(e for e in catalog.entries() if e.msgid == "No exceptions, see [the summary](#summary).")
    entry.msgstr = "Keine Ausnahmen, siehe [die Zusammenfassung](#nirgends)."
    path.write_bytes(po.serialise(catalog.po, path))
    errors = [f.message for f in checks.check_catalog(brief, "de", None) if f.severity == "error"]
    assert any("#nirgends: the document has no heading with that id" in e for e in errors), errors
    result = render_language(brief, "de", ("html",))
    html = result.paths[0].read_text(encoding="utf-8")
    assert "Keine Ausnahmen, siehe die Zusammenfassung." in html


def test_an_html_comment_on_its_own_lines_is_a_note_for_editors(brief: config.Config) -> None:
    _edit(
        brief, "## What the numbers say", "<!-- numbers from the 2024 survey -->\n\n## What the numbers say"
    )
    assert not any("survey" in s.msgid for s in segments(document.read(brief), brief.root))
    _edit(brief, "<!-- numbers from the 2024 survey -->", "Text <!-- inline --> here")
    with pytest.raises(SourceError, match="raw HTML in the source"):
        document.read(brief)


def test_a_quoted_date_and_an_end_marker_are_front_matter(brief: config.Config) -> None:
    _edit(brief, 'version: "1.2"', "version: '1.2'\ndate: '2024-01-28'")
    assert str(document.read(brief).date) == "2024-01-28"


def test_the_shipped_template_is_what_extract_makes(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "source", tmp_path / "source")
    shutil.copy(root / "pyproject.toml", tmp_path / "pyproject.toml")
    cfg = config.load(tmp_path)
    extract.extract(cfg)
    made = polib.pofile(str(cfg.template_path))
    shipped = polib.pofile(str(root / "locale" / "letter.pot"))
    assert [(e.msgctxt, e.msgid) for e in made] == [(e.msgctxt, e.msgid) for e in shipped]
    drop = re.compile(r'^"POT-Creation-Date: .*\n', re.M)
    assert drop.sub("", cfg.template_path.read_text()) == drop.sub(
        "", (root / "locale" / "letter.pot").read_text()
    )


def test_code_is_never_hyphenated_nor_a_ligature() -> None:
    css = (page.TEMPLATES / "letter.css").read_text(encoding="utf-8")
    rule = re.search(r"pre, code, kbd, samp \{([^}]*)\}", css)
    assert rule and "hyphens: none" in rule.group(1) and "font-variant-ligatures: none" in rule.group(1)
