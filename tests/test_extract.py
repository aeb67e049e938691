"""Extract: Markdown and signatories in, a .pot out (golden file), deterministic."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from pipeline import config
from pipeline.catalogs import extract
from pipeline.source import document
from pipeline.source.segments import segments as segments_of

from .helpers import DATA


def _without_date(text: str) -> str:
    return re.sub(r'"POT-Creation-Date: [^"]*"', '"POT-Creation-Date: X"', text)


def test_golden_template(tmp_path: Path) -> None:
    shutil.copytree(DATA / "golden", tmp_path / "p")
    (tmp_path / "p" / "letter.pot").unlink()
    cfg = config.load(tmp_path / "p")
    result = extract.extract(cfg)
    assert result.written and result.entries == 25
    expected = (DATA / "golden" / "letter.pot").read_text(encoding="utf-8")
    assert _without_date(result.path.read_text(encoding="utf-8")) == _without_date(expected)


def test_unchanged_source_rewrites_nothing(cfg: config.Config) -> None:
    before = cfg.template_path.read_bytes()
    mtime = cfg.template_path.stat().st_mtime_ns
    assert not extract.extract(cfg).written
    assert cfg.template_path.read_bytes() == before
    assert cfg.template_path.stat().st_mtime_ns == mtime


def test_the_real_letter(cfg: config.Config) -> None:
    letter = document.read(cfg)
    segments = segments_of(letter, cfg.root)
    msgids = [s.msgid for s in segments]
    # Names of organisations and people, and country names, never become entries.
    assert not any("Access Now" in m or "Germany" in m or "Douwe Korff" in m for m in msgids)
    assert "International" in msgids and "European" in msgids and "Anthropologist" in msgids
    assert [s.comment for s in segments if s.comment.startswith("footnote")] == [
        "footnote 1",
        "footnote 2",
        "footnote 3",
    ]
    # The seed's page break split a sentence; the source joins it again.
    assert any("We can promote AI that really serves people" in m for m in msgids)
    assert not any("<sup>" in m or "---" in m for m in msgids)
    assert len(letter.signatories.organisations) == 53
    assert len(letter.signatories.individuals) == 3


def test_signatories_in_order_with_cldr_codes(cfg: config.Config) -> None:
    sig = document.read(cfg).signatories
    names = [o.name for o in sig.organisations]
    assert names[0] == "Access Now" and names[-1] == "Wikimedia France"
    assert "European Center For Not-For-Profit Law Stichting (ECNL)" in names
    by_name = {o.name: o.where for o in sig.organisations}
    assert by_name["LaLibre.net Tecnologías Cunitarias"] == ("EC", "419")
    assert by_name["Internet Protection Society"] == ("RU", "european")
    assert by_name["Statewatch"] == ("150",)
