"""Update: merging the template into catalogs without losing anyone's work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline import config
from pipeline.catalogs import extract, marks, po, update
from pipeline.catalogs.marks import State
from pipeline.errors import CatalogError

from .helpers import by_msgid, edit_source, set_translations

EDITED_FROM = "These harms are not hypothetical."
EDITED_TO = "These harms are not at all hypothetical."


def _translate_all(path: Path, fuzzy: bool = False) -> None:
    set_translations(path, lambda e: (f"DE {e.msgid}", fuzzy))


def test_unchanged_entries_keep_translation_and_state(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    _translate_all(path)
    before = path.read_bytes()
    results = update.update(cfg, ["de"])
    assert not results[0].written and path.read_bytes() == before


def test_edited_paragraph_becomes_stale_with_previous_msgid(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    _translate_all(path)
    edit_source(cfg, EDITED_FROM, EDITED_TO)
    [result] = update.update(cfg, ["de"])
    assert result.fuzzy == 1 and result.new == 0 and result.obsoleted == 0
    edited = next(e for m, e in by_msgid(path).items() if m.startswith(EDITED_TO))
    assert marks.state(edited) is State.STALE
    assert edited.previous_msgid is not None and edited.previous_msgid.startswith(EDITED_FROM)
    assert edited.msgstr.startswith("DE These harms are not hypothetical.")


def test_new_paragraph_is_untranslated_even_when_it_resembles_another(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    _translate_all(path)
    anchor = "The AI Act is the obvious way"
    text = cfg.source_path.read_text(encoding="utf-8")
    paragraph = next(p for p in text.split("\n\n") if p.startswith(anchor))
    copy = paragraph.replace("obvious", "clear")
    cfg.source_path.write_text(text.replace(paragraph, paragraph + "\n\n" + copy), encoding="utf-8")
    extract.extract(cfg)
    [result] = update.update(cfg, ["de"])
    assert result.new == 1 and result.fuzzy == 0
    entries = by_msgid(path)
    assert entries[copy].msgstr == "" and marks.state(entries[copy]) is State.UNTRANSLATED
    assert marks.state(entries[paragraph]) is State.REVIEWED


def test_only_link_target_changed_keeps_reviewed_state(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    _translate_all(path)
    edit_source(cfg, "[the dangerous status quo](#)", "[the dangerous status quo](https://example.org/q)")
    [result] = update.update(cfg, ["de"])
    assert result.retargeted == 1 and result.fuzzy == 0
    entry = next(e for m, e in by_msgid(path).items() if "(https://example.org/q)" in m)
    assert marks.state(entry) is State.REVIEWED  # one link: it can only be that one
    assert "](https://example.org/q)" in entry.msgstr
    edit_source(cfg, "(https://example.org/q)", "(https://example.org/q2)")
    [result] = update.update(cfg, ["de"])
    assert result.retargeted == 1  # a URL for a URL: the mapping is by value, whatever the order
    entry = next(e for m, e in by_msgid(path).items() if "(https://example.org/q2)" in m)
    assert marks.state(entry) is State.REVIEWED and "](https://example.org/q2)" in entry.msgstr


def test_filling_one_of_several_bare_targets_asks_a_person(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    # Four links all "#": which translated link is "in Russia" only the order tells, and a
    # translation may order them otherwise. The guess is written, and the entry asks for review.
    path = catalog_for("de")
    _translate_all(path)
    edit_source(cfg, "[in Russia](#)", "[in Russia](https://example.org/ru)")
    [result] = update.update(cfg, ["de"])
    assert result.retargeted == 0 and result.fuzzy == 1
    entry = next(e for m, e in by_msgid(path).items() if "[in Russia](https://example.org/ru)" in m)
    assert marks.state(entry) is State.STALE and "[in Russia](#)" in entry.previous_msgid
    assert "(https://example.org/ru)" in entry.msgstr


def test_removed_entry_goes_obsolete_and_comes_back(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    _translate_all(path)
    original = cfg.source_path.read_text(encoding="utf-8")
    paragraph = next(p for p in original.split("\n\n") if p.startswith("The AI Act is the obvious"))
    cfg.source_path.write_text(original.replace(paragraph + "\n\n", ""), encoding="utf-8")
    extract.extract(cfg)
    [result] = update.update(cfg, ["de"])
    assert result.obsoleted == 1
    obsolete = [e for e in po.read(path, "de").po if e.obsolete]
    assert [e.msgid for e in obsolete] == [paragraph]
    assert "#~ msgid" in path.read_text(encoding="utf-8")
    cfg.source_path.write_text(original, encoding="utf-8")
    extract.extract(cfg)
    [result] = update.update(cfg, ["de"])
    assert result.revived == 1
    entry = by_msgid(path)[paragraph]
    assert not entry.obsolete and entry.msgstr == f"DE {paragraph}" and marks.state(entry) is State.REVIEWED


def test_translator_comments_survive_and_pipeline_marks_stay_once_reviewed(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    catalog = po.read(path, "de")
    brussels = next(e for e in catalog.entries() if e.msgid == "Brussels")
    brussels.msgstr = "Brüssel"
    brussels.flags.append("fuzzy")
    brussels.tcomment = f"{marks.DRAFT_NOTE}\nAsk Anna about the article."
    path.write_bytes(po.serialise(catalog.po, path))
    update.update(cfg, ["de"])
    entry = by_msgid(path)["Brussels"]
    assert entry.tcomment == f"{marks.DRAFT_NOTE}\nAsk Anna about the article."
    # The translator reviews it: clears fuzzy in their editor.
    text = path.read_text(encoding="utf-8").replace('#, fuzzy\nmsgid "Brussels"', 'msgid "Brussels"')
    path.write_text(text, encoding="utf-8")
    update.update(cfg, ["de"])
    entry = by_msgid(path)["Brussels"]
    # The pipeline's mark stays as it was: the evidence the state is derived from (here: no hash
    # of the text it vouched for, so the reviewed text counts as a person's).
    assert entry.tcomment == f"{marks.DRAFT_NOTE}\nAsk Anna about the article."
    assert marks.state(entry) is State.REVIEWED


def test_second_update_rewrites_nothing(cfg: config.Config, catalog_for: Callable[[str], Path]) -> None:
    path = catalog_for("fi")
    mtime = path.stat().st_mtime_ns
    [result] = update.update(cfg, ["fi"])
    assert not result.written and path.stat().st_mtime_ns == mtime


def test_editor_headers_are_kept(cfg: config.Config, catalog_for: Callable[[str], Path]) -> None:
    path = catalog_for("sv")
    text = path.read_text(encoding="utf-8").replace(
        '"X-Generator: pipeline', '"X-Poedit-Basepath: .\\n"\n"X-Generator: pipeline'
    )
    path.write_text(text, encoding="utf-8")
    update.update(cfg, ["sv"])
    assert po.read(path, "sv").po.metadata["X-Poedit-Basepath"] == "."


SIX = ["de", "fr", "it", "pl", "fi", "ga"]


def test_languages_merged_side_by_side_write_what_one_at_a_time_writes(
    cfg: config.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    update.update(cfg, SIX)
    for code in SIX:
        _translate_all(cfg.catalog_path(code))
    edit_source(cfg, EDITED_FROM, EDITED_TO)
    extract.extract(cfg)
    saved = {code: cfg.catalog_path(code).read_bytes() for code in SIX}
    in_workers = update.update(cfg, SIX)  # six catalogs: merged in worker processes
    written = {code: cfg.catalog_path(code).read_bytes() for code in SIX}
    for code, data in saved.items():
        cfg.catalog_path(code).write_bytes(data)
    monkeypatch.setattr(update, "_PARALLEL_FROM", 100)
    one_by_one = update.update(cfg, SIX)
    assert [r.fuzzy for r in in_workers] == [1] * 6 and in_workers == one_by_one
    assert written == {code: cfg.catalog_path(code).read_bytes() for code in SIX}


def test_an_error_in_a_worker_names_the_file_and_line_and_nothing_is_written(cfg: config.Config) -> None:
    update.update(cfg, SIX)
    broken = cfg.catalog_path("pl")
    broken.write_bytes(broken.read_bytes() + b'\nmsgid "x"\nmsgstr "y\n')
    edit_source(cfg, EDITED_FROM, EDITED_TO)
    extract.extract(cfg)
    before = {code: cfg.catalog_path(code).read_bytes() for code in SIX}
    with pytest.raises(CatalogError) as caught:
        update.update(cfg, SIX)
    assert caught.value.path == broken and caught.value.line == broken.read_bytes().count(b"\n")
    assert "end-of-line within string" in str(caught.value)
    assert before == {code: cfg.catalog_path(code).read_bytes() for code in SIX}
