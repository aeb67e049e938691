"""Render: the PDF and HTML of a language, its fallbacks, its fonts and its refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from click.testing import Result
from pypdf import PdfReader

from pipeline import config, languages, render_language
from pipeline.catalogs import po
from pipeline.catalogs.marks import State
from pipeline.errors import RenderError
from pipeline.typeset import fonts, lookup

from .helpers import ROOT, copy_shipped, pdf_text, set_translations


@pytest.mark.parametrize(
    ("code", "date", "country", "draft"),
    [
        ("de", "Dienstag, 10. Mai 2022", "Deutschland", "Entwurf"),
        ("el", "Τρίτη 10 Μαΐου 2022", "Γερμανία", "Προσχέδιο"),
    ],
)
def test_pdf_has_localized_dateline_countries_and_draft_mark(
    cfg: config.Config, run: Callable[..., Result], code: str, date: str, country: str, draft: str
) -> None:
    copy_shipped(cfg, code)
    result = run("render", "--lang", code)
    assert result.exit_code == 0, result.output
    pdf = cfg.root / "output" / code / f"reclaim-your-face-open-letter-{code}.pdf"
    assert result.stdout == f"output/{code}/{pdf.name}\n"
    assert f"{code}: 48 unreviewed entries used; marked as a draft" in result.stderr
    text = " ".join(pdf_text(pdf).split())
    assert date in text and country in text and draft in text
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == languages.get(code).html_lang
    assert reader.metadata is not None and reader.metadata.title
    assert reader.metadata.author == "Reclaim Your Face"


def test_stale_and_untranslated_entries_print_the_source(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("fr")
    set_translations(path, lambda e: ("FR " + e.msgid, False) if e.msgid == "Brussels" else None)
    catalog = po.read(path, "fr")
    entry = next(e for e in catalog.entries() if e.msgid.startswith("These harms"))
    entry.msgstr, entry.flags, entry.previous_msgid = "Ancienne traduction.", ["fuzzy"], "Old source."
    path.write_bytes(po.serialise(catalog.po, path))
    result = render_language(cfg, "fr")
    states = dict((m[:11], s) for m, s in result.fallbacks)
    assert states["These harms"] is State.STALE
    assert State.UNTRANSLATED in states.values()
    assert result.unreviewed == 0
    text = pdf_text(result.paths[0])
    assert "Ancienne traduction" not in text and "These harms are not hypothetical." in text
    assert "FR Brussels" in text


def test_final_refuses_unless_everything_is_reviewed(cfg: config.Config, run: Callable[..., Result]) -> None:
    copy_shipped(cfg, "de")
    result = run("render", "--lang", "de", "--final")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: locale/de/LC_MESSAGES/letter.po:")
    assert "--final: entry is unreviewed, not reviewed" in result.stderr
    assert not (cfg.root / "output").exists()


def test_final_renders_a_reviewed_catalog(cfg: config.Config, run: Callable[..., Result]) -> None:
    path = copy_shipped(cfg, "de")
    set_translations(path, lambda e: (e.msgstr, False))
    result = run("render", "--lang", "de", "--final")
    assert result.exit_code == 0, result.output
    text = pdf_text(cfg.root / "output" / "de" / "reclaim-your-face-open-letter-de.pdf")
    assert "Entwurf" not in text


def test_missing_link_targets_print_as_text_and_real_links_are_clickable(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    catalog_for("de")
    result = render_language(cfg, "de", ("pdf", "html"))
    pdf, page = result.paths
    uris = [
        a["/A"]["/URI"]
        for p in PdfReader(pdf).pages
        for a in (p.get("/Annots") or [])
        if "/A" in a.get_object() and "/URI" in a["/A"]
    ]
    assert "https://www.wired.com/story/wrongful-arrests-ai-derailed-3-mens-lives/" in uris
    assert "#" not in uris
    web = page.read_text(encoding="utf-8")
    assert 'href="#"' not in web and "in Russia" in web
    assert str(cfg.root) not in web and str(fonts.cache_dir()) not in web
    assert len(page.read_bytes()) < 600_000


def test_a_glyph_the_font_lacks_is_refused_with_the_entry(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    set_translations(path, lambda e: ("Brüssel 中", False) if e.msgid == "Brussels" else None)
    with pytest.raises(RenderError, match=r"no glyph for '中' \(U\+4E2D\); entry 'Brussels'") as err:
        render_language(cfg, "de")
    assert err.value.path == path and err.value.line is not None


def test_second_render_skips_and_force_renders(cfg: config.Config, run: Callable[..., Result]) -> None:
    copy_shipped(cfg, "de")
    run("render", "--lang", "de")
    pdf = cfg.root / "output" / "de" / "reclaim-your-face-open-letter-de.pdf"
    first = pdf.read_bytes()
    again = run("render", "--lang", "de")
    assert again.stdout == f"output/de/{pdf.name} (up to date)\n"
    forced = run("render", "--lang", "de", "--force")
    assert forced.stdout == f"output/de/{pdf.name}\n"
    assert pdf.read_bytes() == first  # reproducible: same inputs, same bytes


def test_catalog_older_than_source_is_reported(cfg: config.Config, run: Callable[..., Result]) -> None:
    copy_shipped(cfg, "de")
    text = cfg.source_path.read_text(encoding="utf-8")
    cfg.source_path.write_text(text.replace("Signed,", "A new paragraph.\n\nSigned,"), encoding="utf-8")
    result = run("render", "--lang", "de")
    assert "warning: de: 1 segments of the source are not in the catalog" in result.stderr


def test_font_covers_every_character_of_every_catalog_and_cldr_string() -> None:
    from babel import Locale
    from babel.dates import format_date

    from pipeline.source import document

    cfg = config.load(ROOT)
    letter = document.read(cfg)
    needed: set[str] = set()
    for lang in languages.LANGUAGES:
        locale = Locale.parse(lang.babel)
        needed |= set(format_date(letter.date, "full", locale=locale))
        for code in letter.signatories.territories():
            needed |= set(locale.territories[code])
        needed |= set(str(locale.get_display_name()).capitalize())
        if lang.code != languages.SOURCE_CODE:
            for entry in polib.pofile(str(cfg.catalog_path(lang.code))):
                needed |= set(entry.msgstr)
    needed -= {"\n"}
    assert fonts.missing("".join(sorted(needed))) == []
    # The test reads real Maltese, Romanian, Greek and Bulgarian text, and French spacing.
    assert {"ċ", "ġ", "ħ", "ż", "ș", "ț", "\u00a0", "ω", "ж", "ΐ"} <= needed
    # French number grouping (Babel) uses U+202F; U+2011 (non-breaking hyphen) too.
    assert fonts.missing("\u202f\u2011") == []


def test_translation_lookup_refuses_unsafe_text(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    set_translations(path, lambda e: ("<b>x</b>", False) if e.msgid == "Brussels" else None)
    tr = lookup.load(cfg, "de")
    with pytest.raises(RenderError, match="raw HTML in the translation"):
        tr.use("Brussels")
