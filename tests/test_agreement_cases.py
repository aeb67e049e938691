"""Cases where check and render once disagreed, or a person's text or a field was lost:
each now ends the same way in both, and nothing anyone wrote is overwritten."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from pipeline import config, render_language
from pipeline.catalogs import marks, po, update
from pipeline.checks import catalog as checks
from pipeline.errors import RenderError, SourceError
from pipeline.mt import run as translate
from pipeline.publish import proof
from pipeline.source import document, interface
from pipeline.typeset import page
from pipeline.typeset.lookup import load

from .fake_engine import FakeEngine
from .helpers import by_msgid, edit_source

DEAR = "Dear honourable Members of the European Parliament,"


def _errors(cfg: config.Config) -> list[str]:
    return [
        f"{f.line}: {f.code}: {f.message}"
        for f in checks.check_catalog(cfg, "de", None)
        if f.severity == "error"
    ]


def test_an_entry_with_plural_forms_is_an_error_in_check_and_refused_by_render(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    old = f'msgid "{DEAR}"\nmsgstr ""'
    new = f'msgid "{DEAR}"\nmsgid_plural "{DEAR}"\nmsgstr[0] "Sehr geehrte,"\nmsgstr[1] "Sehr geehrte,"'
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    errors = _errors(cfg)
    assert any("plural forms" in e for e in errors), errors
    with pytest.raises(RenderError, match="plural forms"):
        render_language(cfg, "de", ("html",))


def test_a_place_translated_as_a_field_name_stays_text(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    catalog = po.read(path, "de")
    for entry in catalog.entries():
        if entry.msgid == "Brussels":
            entry.msgstr = "Brüssel {date}"
    path.write_bytes(po.serialise(catalog.po, path))
    doc = document.read(cfg)
    built = page.build_page(doc, load(cfg, "de"), mode="html", revision="r", organisation="O", fonts=[])
    assert built.dateline is not None and "Brüssel {date}, " in built.dateline


def test_the_proof_shows_texts_the_source_lacks_as_text(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    image = "![x](../../../../../../../etc/hostname)"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f'\nmsgid "{image}"\nmsgstr "{image}"\n')
    row = next(r for r in proof.rows(cfg, "de") if r.source == image)
    assert row.translation == image and not hasattr(row.source, "__html__")
    assert proof.render_proof(cfg, "de").exists()


def test_a_machine_answer_that_is_not_unicode_is_refused_not_a_traceback(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    engine = FakeEngine(mangle=lambda text, target: text + "\ud800")
    result = translate.translate(cfg, ["de"], engine)
    [language] = result.languages
    assert language.refused and all("lone surrogate" in why for _, why in language.refused)
    assert all(not e.msgstr for e in by_msgid(path).values())


def test_a_link_target_a_person_filled_in_is_never_overwritten_by_translate(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    translate.translate(cfg, ["de"], FakeEngine())
    catalog = po.read(path, "de")
    entry = next(e for e in catalog.entries() if e.msgid.startswith("These harms"))
    assert marks.machine_wrote(entry)
    entry.msgstr = entry.msgstr.replace("](#)", "](https://example.org/theirs)", 1)
    entry.flags = []  # and they review it
    path.write_bytes(po.serialise(catalog.po, path))
    assert not marks.machine_wrote(entry)  # a link target is an edit too
    edit_source(cfg, "These harms are not hypothetical.", "These harms are real.")
    update.update(cfg, ["de"])
    translate.translate(cfg, ["de"], FakeEngine())
    kept = next(e for m, e in by_msgid(path).items() if m.startswith("These harms are real."))
    assert "https://example.org/theirs" in kept.msgstr  # stale for a person, not overwritten


@pytest.mark.parametrize(
    ("yaml", "says"),
    [
        ('    role: "[^1]"', "role may not hold a footnote reference"),
        ('    role: ""', "role must be a non-empty text"),
        ('    role: "![x](y.png)"', "role may not hold a footnote reference or an image"),
    ],
)
def test_a_signatory_role_is_one_line_of_text(cfg: config.Config, yaml: str, says: str) -> None:
    path = cfg.root / "source" / "signatories.yaml"
    text = path.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.strip().startswith("role:"))
    path.write_text(text.replace(first, yaml, 1), encoding="utf-8")
    with pytest.raises(SourceError, match=says):
        document.read(cfg)


def test_the_source_meets_the_character_rules_too(
    cfg: config.Config, catalog_for: Callable[[str], Path], run: Callable[..., Result]
) -> None:
    catalog_for("de")
    edit_source(cfg, "These harms are not hypothetical.", "These harms are not \u202ehypothetical.")
    result = run("check", "--lang", "de")
    assert result.exit_code == 1
    assert "source/letter.md:19: error unsafe: bidirectional control U+202E" in result.output


def test_a_deleted_format_flag_still_leaves_a_lost_field_an_error(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    catalog = po.read(path, "de")
    for entry in catalog.entries():
        if entry.msgctxt == interface.CONTEXT and entry.msgid == "{place}, {date}":
            entry.msgstr, entry.flags = "{place}", []
    path.write_bytes(po.serialise(catalog.po, path))
    assert any("placeholders" in e for e in _errors(cfg))
