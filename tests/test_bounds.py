"""Where the project ends, and how much work an input may cause: links out of the project,
devices, oversized files, quadratic scans, and inputs that make render do a lot."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import config, render_language
from pipeline.catalogs import glossary, po, update
from pipeline.checks.typography import final_mark
from pipeline.errors import FileError, PipelineError
from pipeline.files import project_lock, read_bytes
from pipeline.publish import state
from pipeline.source import document, footnotes
from pipeline.typeset.lookup import Translation
from pipeline.typeset.markdown import body_html

from .helpers import copy_glossary, edit_source, write_glossary


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_untouched(
    cfg: config.Config, tmp_path_factory: pytest.TempPathFactory
) -> None:
    victim = tmp_path_factory.mktemp("outside") / "precious"
    victim.write_text("precious\n")
    (cfg.root / ".pipeline.lock").unlink(missing_ok=True)
    (cfg.root / ".pipeline.lock").symlink_to(victim)
    with pytest.raises(FileError, match="it is a link: refused"), project_lock(cfg.root):
        pass
    assert victim.read_text() == "precious\n"


def test_render_writes_nothing_through_a_link_in_output(
    cfg: config.Config, catalog_for: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    catalog_for("de")
    outside = tmp_path_factory.mktemp("elsewhere")
    (cfg.root / "output").mkdir()
    (cfg.root / "output" / "de").symlink_to(outside)
    with pytest.raises(FileError, match="leads outside the project folder"):
        render_language(cfg, "de", ("html",))
    (cfg.root / "output" / "de").unlink()
    (cfg.root / "output" / ".build").symlink_to(outside)
    with pytest.raises(FileError, match="leads outside the project folder"):
        render_language(cfg, "de", ("html",))
    assert list(outside.iterdir()) == []


def test_files_linked_from_outside_or_devices_are_never_read(
    cfg: config.Config,
    catalog_for: Callable[[str], Path],
    run: Callable[..., Result],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    catalog_for("de")
    copy_glossary(cfg.root)
    secret = tmp_path_factory.mktemp("outside") / "secret.csv"
    secret.write_text("term,lang,form\nSECRET-4711,de,x\n")
    forms = cfg.root / "locale" / "glossary-forms.csv"
    forms.unlink()
    forms.symlink_to(secret)
    result = run("check", "--lang", "de")
    assert result.exit_code == 1 and "leads outside the project folder" in result.stderr
    assert "SECRET" not in result.output + result.stderr
    for device in ("/dev/zero", "/dev/urandom"):
        with pytest.raises(FileError, match="not a regular file"):
            read_bytes(Path(device))
    (cfg.root / "pyproject.toml").unlink()
    (cfg.root / "pyproject.toml").symlink_to("/dev/zero")
    result = run("status")
    assert result.exit_code == 1 and "pyproject.toml: leads outside the project folder" in result.stderr


def test_a_file_is_read_up_to_its_limit_whatever_it_claims(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"x" * 2048)
    assert read_bytes(big, "file", 2048) == b"x" * 2048
    with pytest.raises(FileError, match=r"the file is 0\.0 MB, over the 1 KB a file may be"):
        read_bytes(big, "file", 1024)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(FileError, match="not a regular file"):
        read_bytes(fifo)


def _seconds(function: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize(
    "scan",
    [
        lambda text: footnotes.footnote_refs(text),
        lambda text: final_mark(text),
        lambda text: final_mark(text.replace("[^", ".,")),
    ],
    ids=["footnote references", "final mark", "final mark of punctuation runs"],
)
def test_scans_of_hostile_runs_grow_linearly(scan: Callable[[str], object]) -> None:
    # A quadratic scan takes 16 times as long for 4 times the input; a linear one about 4.
    small, large = "[^" * 20_000 + "a", "[^" * 80_000 + "a"
    assert _seconds(lambda: scan(large)) < 8 * _seconds(lambda: scan(small)) + 0.05


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[^]a :\n", max_size=40))
def test_the_linear_footnote_scan_finds_what_the_regular_expression_found(text: str) -> None:
    expected = [m.group(1) for m in re.finditer(r"(?=\[\^([^\] \n]+)\])", text)]
    assert [label for label, _ in footnotes.footnote_refs(text)] == expected


def test_a_run_of_unclosed_references_in_the_source_costs_little(cfg: config.Config) -> None:
    edit_source(cfg, "Dear honourable Members", "Dear " + "[^" * 50_000 + " honourable Members")
    start = time.perf_counter()
    document.read(cfg)
    assert time.perf_counter() - start < 20  # quadratic, this was hours


def test_a_note_referenced_again_is_printed_once(cfg: config.Config) -> None:
    edit_source(cfg, "These harms are not hypothetical.", "These harms are not hypothetical.[^1][^1][^1]")
    doc = document.read(cfg)
    body, _ = body_html(doc, Translation("en", None), "pdf")
    assert body.count('class="footnote"') == len({str(t.meta["label"]) for t in _refs(doc)})
    assert body.count('<sup class="fnref">1</sup>') == 3


def _refs(doc: document.Document) -> list[object]:
    return [c for t in doc.tokens for c in t.children or [] if c.type == "footnote_ref"]


def test_a_document_has_at_most_a_thousand_notes(cfg: config.Config) -> None:
    notes = "".join(f"[^n{i}]" for i in range(1001))
    defs = "".join(f"\n\n[^n{i}]: Note {i}." for i in range(1001))
    text = cfg.source_path.read_text(encoding="utf-8")
    cfg.source_path.write_text(text + "\n\n" + notes + defs, encoding="utf-8")
    with pytest.raises(PipelineError, match="footnotes: a document may have at most 1,000"):
        document.read(cfg)


def test_a_catalog_in_another_charset_is_refused_and_update_writes_none(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    de, fr = catalog_for("de"), catalog_for("fr")
    fr.write_bytes(fr.read_bytes().replace(b"charset=UTF-8", b"charset=ISO-8859-1"))
    edit_source(cfg, "These harms are not hypothetical.", "These harms are real.")
    before = de.read_bytes()
    with pytest.raises(PipelineError, match="catalogs are UTF-8") as err:
        update.update(cfg, ["de", "fr"])
    assert err.value.path == fr and err.value.line is not None
    assert de.read_bytes() == before  # nothing written: the command failed


def test_a_glossary_cell_with_a_tab_or_line_break_is_refused(cfg: config.Config) -> None:
    for cell in ("Massen\tüberwachung", '"Massen\nüberwachung"'):
        write_glossary(cfg, [f"biometric mass surveillance,yes,,{cell},a,b,c"])
        with pytest.raises(PipelineError, match=r"holds U\+000[9A]: write plain text") as err:
            glossary.load(cfg.glossary_path)
        assert err.value.line == 2


def test_a_setting_that_reaches_the_documents_makes_them_out_of_date(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    catalog_for("de")
    render_language(cfg, "de", ("html",))
    assert state.up_to_date(cfg, "de", ("html",))
    path = cfg.root / "pyproject.toml"
    path.write_text(re.sub(r"(?m)^organisation = .*$", 'organisation = "Other"', path.read_text()))
    changed = config.load(cfg.root)
    assert not state.up_to_date(changed, "de", ("html",))
    render_language(changed, "de", ("html",))
    html = state.output_path(changed, "de", document.slug(changed), "html").read_text(encoding="utf-8")
    assert "Other" in html
    jobs = path.read_text().replace("[tool.pipeline]", "[tool.pipeline]\njobs = 1")
    path.write_text(jobs)
    assert state.up_to_date(config.load(cfg.root), "de", ("html",))  # how many workers: never in a file


def test_catalog_limits_hold_for_every_reader(cfg: config.Config, catalog_for: Callable[[str], Path]) -> None:
    path = catalog_for("de")
    with path.open("ab") as handle:
        handle.write(b"# " + b"x" * (po.MAX_CATALOG_BYTES + 1) + b"\n")
    with pytest.raises(FileError, match="over the 10 MB a catalog may be"):
        po.read(path, "de")
