"""The shipped catalogs: complete drafts in 23 languages, honest about their review state."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from pipeline import config, languages
from pipeline.catalogs import glossary, marks, po
from pipeline.catalogs.marks import State
from pipeline.checks import catalog as check
from pipeline.checks.findings import ERROR
from pipeline.cli import main

from .helpers import ROOT

CFG = config.load(ROOT)
TERMS = glossary.load(CFG.glossary_path)


@pytest.mark.parametrize("code", languages.TARGET_CODES)
def test_every_entry_is_an_unreviewed_draft(code: str) -> None:
    catalog = po.read(CFG.catalog_path(code), code)
    entries = catalog.entries()
    assert len(entries) == 48
    for entry in entries:
        assert entry.msgstr, f"{code}: untranslated {entry.msgid[:40]!r}"
        assert marks.state(entry) is State.UNREVIEWED
        assert marks.markers(entry) == marks.draft_marks(
            entry.msgid, entry.msgstr, plain=entry.msgctxt == "interface"
        )
    meta = catalog.po.metadata
    assert meta["Last-Translator"] == "Reclaim Your Face translation team"
    text = CFG.catalog_path(code).read_text(encoding="utf-8")
    assert not re.search(r"(?i)\breviewed by\b|\bproofread\b|@", text)


@pytest.mark.parametrize("code", languages.TARGET_CODES)
def test_markup_numbers_and_terms_agree_with_the_source(code: str) -> None:
    findings = check.check_catalog(CFG, code, TERMS)
    errors = [f.format(ROOT) for f in findings if f.severity == ERROR]
    assert errors == []


def test_glossary_terms_occur_in_translations() -> None:
    """The same rule, stated directly: each term of a source entry is in its translation."""
    checked = 0
    for code in languages.TARGET_CODES:
        for entry in po.read(CFG.catalog_path(code), code).entries():
            for term in TERMS.in_source(entry.msgid):
                checked += 1
                assert any(f.casefold() in entry.msgstr.casefold() for f in term.accepted(code)), (
                    code,
                    term.english,
                    entry.msgid[:40],
                )
    assert checked > 23 * 40


def test_glossary_shape() -> None:
    assert len(TERMS.terms) >= 20
    kept = {t.english for t in TERMS.terms if not t.translate}
    assert {"Reclaim Your Face", "RBI"} <= kept
    for term in TERMS.terms:
        assert set(term.targets) == set(languages.TARGET_CODES)
    # "mass surveillance" inside "biometric mass surveillance" is not a second occurrence.
    assert [t.english for t in TERMS.in_source("a ban on biometric mass surveillance")] == [
        "biometric mass surveillance"
    ]


def test_status_shows_drafts_only() -> None:
    result = CliRunner().invoke(main, ["-C", str(ROOT), "status", "--json"])
    assert result.exit_code == 0
    [document] = json.loads(result.stdout)["documents"]
    rows = document["languages"]
    assert [r["language"] for r in rows] == list(languages.TARGET_CODES)
    for row in rows:
        assert row["untranslated"] == 0 and row["reviewed"] == 0 and row["stale"] == 0
        assert row["unreviewed"] == 48 and row["percent_reviewed"] == 0
