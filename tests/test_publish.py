"""Publishing: parallel and incremental rendering, the download page, PDF variants, the proof."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from pypdf import PdfReader

from pipeline import config
from pipeline.catalogs import po

from . import pdfua
from .helpers import copy_glossary, copy_shipped, set_translations

CODES = ("de", "el", "fr")
SLUG = "reclaim-your-face-open-letter"


@pytest.fixture
def small(project: Path) -> config.Config:
    """The project limited to three languages, with the shipped drafts."""
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    text = text.replace("[tool.pipeline]\n", '[tool.pipeline]\nlanguages = ["de", "el", "fr"]\n')
    (project / "pyproject.toml").write_text(text, encoding="utf-8")
    cfg = config.load(project)
    for code in CODES:
        copy_shipped(cfg, code)
    copy_glossary(project)
    return cfg


def test_render_all_in_parallel_then_nothing_to_do(small: config.Config, run: Callable[..., Result]) -> None:
    first = run("render", "--all", "--jobs", "2")
    assert first.exit_code == 0, first.output
    out = small.root / "output"
    for code in ("de", "el", "en", "fr"):
        assert (out / code / f"{SLUG}-{code}.pdf").exists()
        assert (out / code / f"{SLUG}-{code}.html").exists()
    table = first.stdout.split("lang  state")[1]
    assert re.search(r"\nde    rendered\s+\d+\s+\d+KB\s+\d+\.\d\d\n", table)
    assert first.stdout.endswith("output/index.html\n")
    # The checksums file matches the files.
    for line in (out / "SHA256SUMS").read_text().splitlines():
        digest, rel = line.split("  ")
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == digest
    again = run("render", "--all")
    assert again.exit_code == 0
    assert again.stdout.count("(up to date)") == 8
    assert "rendered" not in again.stdout.split("lang  state")[1]


def test_nothing_to_do_imports_neither_typesetting_nor_deepl(
    small: config.Config, run: Callable[..., Result]
) -> None:
    assert run("render", "--all").exit_code == 0
    code = (
        "import sys\nfrom pipeline.cli import main\n"
        "try:\n    main(['render', '--all'])\n"
        "except SystemExit as e:\n    assert not e.code\n"
        "heavy = {'weasyprint', 'deepl', 'pikepdf', 'jinja2', 'fontTools'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=small.root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("(up to date)") == 8


def test_nothing_to_do_does_not_import_weasyprint(small: config.Config, run: Callable[..., Result]) -> None:
    run("render", "--lang", "de", "--format", "html")
    code = (
        "import sys\nfrom pipeline.cli import main\n"
        "try:\n    main(['render', '--lang', 'de', '--format', 'html'])\n"
        "except SystemExit as e:\n    assert not e.code\n"
        "assert 'weasyprint' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=small.root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "(up to date)" in done.stdout


def test_one_failing_language_does_not_stop_the_others(
    small: config.Config, run: Callable[..., Result]
) -> None:
    path = small.catalog_path("fr")
    set_translations(path, lambda e: ("<b>x</b>", True) if e.msgid == "Brussels" else None)
    result = run("render", "--lang", "de", "--lang", "fr", "--lang", "el", "--jobs", "2")
    assert result.exit_code == 1
    assert "fr: failed: locale/fr/LC_MESSAGES/letter.po:" in result.stderr
    assert result.stderr.endswith("Error: 1 language(s) failed: fr\n")
    assert (small.root / "output" / "de" / f"{SLUG}-de.pdf").exists()
    assert (small.root / "output" / "el" / f"{SLUG}-el.pdf").exists()


def test_revision_is_the_same_on_pdf_html_and_index(small: config.Config, run: Callable[..., Result]) -> None:
    run("render", "--all")
    out = small.root / "output"
    page = (out / "de" / f"{SLUG}-de.html").read_text(encoding="utf-8")
    revision = re.search(r'<meta name="revision" content="([0-9a-f]{10})">', page)
    assert revision
    pdf_text = "".join(p.extract_text() for p in PdfReader(out / "de" / f"{SLUG}-de.pdf").pages)
    assert revision.group(1) in pdf_text
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"revision {revision.group(1)}" in index
    assert "Deutsch" in index and "Ελληνικά" in index and "draft, 0 % reviewed" in index


def test_pdf_is_tagged_with_title_language_author_and_bookmarks(
    small: config.Config, run: Callable[..., Result]
) -> None:
    run("render", "--lang", "de")
    reader = PdfReader(small.root / "output" / "de" / f"{SLUG}-de.pdf")
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert root["/Lang"] == "de"
    assert reader.metadata is not None and reader.metadata.author == "Reclaim Your Face"
    assert reader.metadata.title.startswith("Offener Brief")

    def count(items: list[object]) -> int:
        return sum(count(i) if isinstance(i, list) else 1 for i in items)

    assert count(reader.outline) >= 3  # the title and the two section headings


def test_archival_variant(small: config.Config, run: Callable[..., Result]) -> None:
    result = run("render", "--lang", "de", "--pdf-variant", "pdf/a-3u")
    assert result.exit_code == 0
    reader = PdfReader(small.root / "output" / "de" / f"{SLUG}-de.pdf")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert re.search(rb"pdfaid:part[^0-9]{0,3}3", xmp) and re.search(rb"pdfaid:conformance[^A-Z]{0,3}U", xmp)
    assert pdfua.pdfa3u_failures(str(small.root / "output" / "de" / f"{SLUG}-de.pdf")) == []


def test_review_proof(small: config.Config, run: Callable[..., Result]) -> None:
    path = small.catalog_path("de")
    catalog = po.read(path, "de")
    entry = next(e for e in catalog.entries() if e.msgid.startswith("These harms"))
    entry.previous_msgid = "Those harms are hypothetical."
    other = next(e for e in catalog.entries() if e.msgid.startswith("**We write"))
    other.msgstr = other.msgstr.replace("53", "dreiundfünfzig")
    path.write_bytes(po.serialise(catalog.po, path))
    line = next(e.linenum for e in po.read(path, "de").entries() if e.msgid.startswith("**We write"))
    result = run("render", "--lang", "de", "--proof")
    assert result.stdout == f"output/de/{SLUG}-de-proof.pdf\n"
    text = " ".join(
        "".join(
            p.extract_text() for p in PdfReader(small.root / "output" / "de" / f"{SLUG}-de-proof.pdf").pages
        ).split()
    )
    assert "stale: the source changed since" in text and "before: Those harms are hypothetical." in text
    assert f"line {line}" in text and "error numbers: number(s) 53 of the source missing" in text
    assert "unreviewed" in text and "English (source)" in text


def test_editing_a_module_of_a_subpackage_puts_every_language_out_of_date(
    small: config.Config, run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline
    from pipeline.publish import state

    copy = tmp_path / "package"
    shutil.copytree(Path(pipeline.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(state, "PACKAGE", copy)
    names = [name for name, _ in state.own_files()]
    assert "typeset/page.py" in names and "templates/letter.html" in names  # by package-relative path
    assert len(names) == len(set(names)) and "source/document.py" in names and "checks/source.py" in names
    assert run("render", "--lang", "de", "--format", "html").exit_code == 0
    assert state.up_to_date(small, "de", ("html",))
    before = state.revision(small, "de")
    page = copy / "typeset" / "page.py"
    page.write_text(page.read_text(encoding="utf-8") + "\n# a change\n", encoding="utf-8")
    assert not state.up_to_date(small, "de", ("html",))
    assert state.revision(small, "de") != before


def test_language_names_come_from_cldr_and_a_bad_cache_file_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The names the switcher and the download page show are Babel's, kept once a machine; a
    kept file that is not whole (a language missing, a name not a string) is made again."""
    from babel import Locale

    from pipeline import languages

    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path))
    languages._names.cache_clear()
    try:
        assert languages.autonym("ga") == "Gaeilge"
        assert languages.autonym("el") == str(Locale.parse("el").get_display_name("el")).capitalize()
        assert languages.autonym("en") == "English" and languages.english_name("de") == "German"
        [kept] = (tmp_path / "cldr").glob("names-*.json")
        kept.write_text('{"de": ["<script>", "x"]}', encoding="utf-8")
        languages._names.cache_clear()
        assert languages.autonym("de") == "Deutsch"
        assert "<script>" not in kept.read_text(encoding="utf-8")  # written anew
        blocked = tmp_path / "a-file"
        blocked.write_text("", encoding="utf-8")
        monkeypatch.setenv("PIPELINE_CACHE_DIR", str(blocked))  # no folder can be made there
        languages._names.cache_clear()
        assert languages.autonym("fi") == "Suomi"  # the names, only not kept
    finally:
        languages._names.cache_clear()


def test_a_render_reads_the_source_once_and_again_where_it_was_saved_meanwhile(
    small: config.Config,
) -> None:
    """Every language of a render shares one read of the source; a language whose fingerprint
    sees other bytes (the source saved while the render ran) reads it again, so that no output
    is recorded as current with old text (a later render would skip it)."""
    from pipeline import render_language
    from pipeline.publish import language, parallel, state

    shared = language.read_source(small)
    alone = render_language(small, "de", ("html",), force=True)
    together = render_language(small, "de", ("html",), force=True, source=shared)
    assert together.findings == alone.findings
    from pipeline.checks import catalog as checks
    from pipeline.typeset import lookup

    read_here = checks.check_catalog(small, "de", shared.terms, shared.doc)
    assert read_here == checks.check_catalog(
        small, "de", shared.terms, shared.doc, lookup.load(small, "de").catalog
    )
    assert list(together.findings) == read_here
    page = state.output_path(small, "de", SLUG, "html")
    first = page.read_bytes()
    source = small.source_path
    source.write_text(source.read_text(encoding="utf-8").replace("# ", "# Edited: ", 1), encoding="utf-8")
    assert not shared.is_current(small)
    render_language(small, "de", ("html",), force=True, source=shared)  # the read of before
    assert page.read_bytes() != first and b"Edited: " in page.read_bytes()
    assert state.up_to_date(small, "de", ("html",))
    # A source that cannot be read: every language says where, as it did when each read it.
    source.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    result = parallel.render(small, ["de", "el", "fr"], ("html",), jobs=2, force=True, index=True)
    assert result.failed == ["de", "el", "fr"]
    assert all(o.error.startswith("source/letter.md:3: front matter") for o in result.outcomes)
    assert result.index is None and result.index_error.startswith("source/letter.md:3:")
