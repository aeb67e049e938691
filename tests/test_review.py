"""Review state no editor or gettext tool can fake or lose; catalogs editors share without churn."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from pipeline import config, render_language
from pipeline.catalogs import marks, po, update
from pipeline.catalogs.marks import State
from pipeline.publish.status import status

from .helpers import by_msgid, copy_shipped, edit_source, pdf_text

DEAR = "Dear honourable Members of the European Parliament,"


def _states(path: Path) -> dict[State, int]:
    counts = dict.fromkeys(State, 0)
    for entry in po.read(path, path.parent.parent.name).entries():
        counts[marks.state(entry)] += 1
    return counts


def _gnu(*args: str) -> None:
    subprocess.run(list(args), check=True, capture_output=True)


# -- mass approval --------------------------------------------------------------


def test_mass_approval_is_seen_warned_kept_and_refused_when_configured(
    cfg: config.Config, run: Callable[..., Result]
) -> None:
    path = copy_shipped(cfg, "sv")
    _gnu("msgattrib", "--clear-fuzzy", "--only-fuzzy", "-o", str(path), str(path))
    assert _states(path)[State.APPROVED] == 48 and _states(path)[State.REVIEWED] == 0
    [row] = status(cfg, ["sv"])
    assert row.approved == 48 and row.reviewed == 0
    checked = run("check", "--lang", "sv")
    assert re.search(
        r"letter\.po:1: warning mass-approval: 48 of 48 entries are approved unchanged", checked.stdout
    )
    final = run("render", "--lang", "sv", "--final")
    assert final.exit_code == 0, final.output
    assert "sv: 48 entries approved unchanged from a draft or machine text" in final.stderr
    update.update(cfg, ["sv"])  # the evidence stays
    assert _states(path)[State.APPROVED] == 48
    toml = cfg.root / "pyproject.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            "[tool.pipeline]\n", "[tool.pipeline]\nfinal-refuses-approved = true\n"
        ),
        encoding="utf-8",
    )
    refused = run("render", "--lang", "sv", "--final", "--force")
    assert refused.exit_code == 1
    assert (
        "--final: entry is approved unchanged from a draft or machine text (final-refuses-approved is set)"
        in refused.stderr
    )


def test_a_reviewed_edit_is_told_apart_from_an_approval(cfg: config.Config) -> None:
    path = copy_shipped(cfg, "de")
    catalog = po.read(path, "de")
    for entry in catalog.entries():
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        if entry.msgid == "Brussels":
            entry.msgstr = "Brüssel (Belgien)"
    path.write_bytes(po.serialise(catalog.po, path))
    states = _states(path)
    assert states[State.REVIEWED] == 1 and states[State.APPROVED] == 47


# -- what msgmerge does ------------------------------------------------------------


def test_a_paragraph_msgmerge_copied_from_its_neighbour_is_stale_and_warned(
    cfg: config.Config, run: Callable[..., Result]
) -> None:
    path = copy_shipped(cfg, "de")
    anchor = "The AI Act is the obvious way"
    text = cfg.source_path.read_text(encoding="utf-8")
    paragraph = next(p for p in text.split("\n\n") if p.startswith(anchor))
    edit_source(cfg, paragraph, paragraph + "\n\n" + paragraph.replace("obvious", "clear"))
    _gnu("msgmerge", "-q", "-U", "--backup=none", str(path), str(cfg.template_path))
    entries = by_msgid(path)
    copy = entries[paragraph.replace("obvious", "clear")]
    assert copy.msgstr == entries[paragraph].msgstr and "fuzzy" in copy.flags and not copy.previous_msgid
    assert marks.state(copy) is State.STALE  # its draft mark vouches for the neighbour's msgid
    checked = run("check", "--lang", "de")
    line, first = copy.linenum, entries[paragraph].linenum
    assert f"letter.po:{line}: warning copied: the same translation as line {first}" in checked.stdout
    result = render_language(cfg, "de", ("html",))
    assert "stale" in {s.value for _, s in result.fallbacks}


def test_plain_msgmerge_without_previous_makes_an_edited_entry_stale(cfg: config.Config) -> None:
    path = copy_shipped(cfg, "de")
    catalog = po.read(path, "de")
    entry = next(e for e in catalog.entries() if e.msgid.startswith("These harms"))
    entry.msgstr += " (geprüft)"  # a person edits and reviews it
    entry.flags = []
    path.write_bytes(po.serialise(catalog.po, path))
    edit_source(cfg, "These harms are not hypothetical.", "These harms are not at all hypothetical.")
    _gnu("msgmerge", "-q", "-U", "--backup=none", str(path), str(cfg.template_path))
    edited = next(e for m, e in by_msgid(path).items() if m.startswith("These harms are not at all"))
    assert "fuzzy" in edited.flags and not edited.previous_msgid
    assert marks.state(edited) is State.STALE
    [row] = status(cfg, ["de"])
    assert row.stale == 1


# -- headers and wrapping belong to the editors ----------------------------------------------


POEDIT_HEADER = {
    "PO-Revision-Date": "2026-11-30 18:12+0100",
    "Last-Translator": "Anna Beispiel <anna@example.org>",
    "Language-Team": "Deutsch <de@example.org>",
    "X-Generator": "Poedit 3.4.2",
    "X-Poedit-SourceCharset": "UTF-8",
}


def test_update_changes_only_the_fields_msgmerge_changes(cfg: config.Config) -> None:
    path = copy_shipped(cfg, "de")
    catalog = po.read(path, "de")
    catalog.po.metadata.update(POEDIT_HEADER)
    path.write_bytes(po.serialise(catalog.po, path))
    update.update(cfg, ["de"])  # the test's fresh template has its own POT-Creation-Date
    before = path.read_bytes()
    assert not update.update(cfg, ["de"])[0].written
    assert path.read_bytes() == before
    text = cfg.root / "pyproject.toml"
    text.write_text(
        text.read_text(encoding="utf-8").replace(
            'formality = "prefer_more"', 'formality = "prefer_more"\nbugs-address = "letters@example.org"'
        ),
        encoding="utf-8",
    )
    from pipeline.catalogs import extract

    extract.extract(config.load(cfg.root))
    assert update.update(config.load(cfg.root), ["de"])[0].written
    meta = po.read(path, "de").po.metadata
    assert {k: meta[k] for k in POEDIT_HEADER} == POEDIT_HEADER
    assert meta["Report-Msgid-Bugs-To"] == "letters@example.org"
    changed = [ln for ln in _diff(before, path.read_bytes()) if ln.startswith(("+", "-"))]
    assert all("Report-Msgid-Bugs-To" in ln or "POT-Creation-Date" in ln for ln in changed), changed


def _diff(a: bytes, b: bytes) -> list[str]:
    import difflib

    return [
        ln
        for ln in difflib.unified_diff(a.decode().splitlines(), b.decode().splitlines(), lineterm="", n=0)
        if not ln.startswith(("+++", "---", "@@"))
    ]


def test_a_file_saved_without_wrapping_is_not_rewrapped(cfg: config.Config) -> None:
    path = copy_shipped(cfg, "de")
    update.update(cfg, ["de"])  # the test's fresh template has its own POT-Creation-Date
    _gnu("msgcat", "--no-wrap", "-o", str(path), str(path))
    nowrap = path.read_bytes()
    assert not update.update(cfg, ["de"])[0].written and path.read_bytes() == nowrap
    edit_source(cfg, "These harms are not hypothetical.", "These harms are not at all hypothetical.")
    update.update(cfg, ["de"])
    lines = _diff(nowrap, path.read_bytes())
    assert 0 < len(lines) <= 6, lines  # the one entry (msgid, #|, fuzzy), not the whole file
    assert (
        subprocess.run(["msgcat", "--no-wrap", str(path)], capture_output=True, check=True).stdout
        == path.read_bytes()
    )


def test_normalise_rewraps_in_the_projects_form(cfg: config.Config, run: Callable[..., Result]) -> None:
    path = copy_shipped(cfg, "de")
    canonical = path.read_bytes()
    _gnu("msgcat", "--no-wrap", "-o", str(path), str(path))
    assert run("normalise", str(path)).stdout == "locale/de/LC_MESSAGES/letter.po: normalised\n"
    assert path.read_bytes() == canonical
    assert run("normalise", "--lang", "de").stdout == "locale/de/LC_MESSAGES/letter.po: unchanged\n"


def test_weblate_saves_are_kept_counted_and_cause_no_churn(
    cfg: config.Config, run: Callable[..., Result]
) -> None:
    """translate-toolkit's PO storage is what Weblate writes: approve one edited entry there."""
    from translate.storage import pypo

    path = copy_shipped(cfg, "de")
    update.update(cfg, ["de"])  # the test's fresh template has its own POT-Creation-Date
    before = path.read_bytes()
    store = pypo.pofile(before)
    unit = next(u for u in store.units if u.source == DEAR)
    unit.target = "Sehr geehrte Abgeordnete des Europäischen Parlaments,"
    unit.markfuzzy(False)
    unit.prev_msgid = []
    store.updateheader(
        add=True,
        last_translator="Jane Doe <jane@example.org>",
        PO_Revision_Date="2026-12-01 10:00+0000",
        x_generator="Weblate 5.9",
    )
    path.write_bytes(bytes(store))
    saved = path.read_bytes()
    assert not update.update(cfg, ["de"])[0].written and path.read_bytes() == saved
    entry = by_msgid(path)[DEAR]
    assert (
        entry.msgstr == "Sehr geehrte Abgeordnete des Europäischen Parlaments,"
        and marks.state(entry) is State.REVIEWED
    )
    [row] = status(cfg, ["de"])
    assert row.reviewed == 1 and row.unreviewed == 47
    assert run("check", "--lang", "de").exit_code == 0
    assert "Sehr geehrte Abgeordnete des Europäischen Parlaments," in pdf_text(
        render_language(cfg, "de").paths[0]
    )
    changed = [ln for ln in _diff(before, path.read_bytes()) if ln.startswith(("+", "-"))]
    assert all(
        any(k in ln for k in ("Sehr geehrte", "fuzzy", "Last-Translator", "PO-Revision-Date", "X-Generator"))
        for ln in changed
    ), changed


# -- accepting a finding from inside the .po ---------------------------------------------


def _glossary_error(cfg: config.Config, catalog_for: Callable[[str], Path]) -> Path:
    path = catalog_for("de")
    (cfg.root / "locale" / "glossary.csv").write_text(
        "term,translate,note,de\n"
        "Members of the European Parliament,yes,,Mitglieder des Europäischen Parlaments\n",
        encoding="utf-8",
    )
    catalog = po.read(path, "de")
    entry = next(e for e in catalog.entries() if e.msgid == DEAR)
    entry.msgstr = "Sehr geehrte Abgeordnete des Europäischen Parlaments,"
    path.write_bytes(po.serialise(catalog.po, path))
    return path


def test_an_accepted_finding_survives_msgcat_and_msgmerge_and_an_edit_voids_it(
    cfg: config.Config, catalog_for: Callable[[str], Path], run: Callable[..., Result]
) -> None:
    path = _glossary_error(cfg, catalog_for)
    first = run("check", "--lang", "de")
    assert first.exit_code == 1 and "error glossary:" in first.stdout
    hint = re.search(r"# (accept: glossary [0-9a-f]{8})\)", first.stdout)
    assert hint, first.stdout
    text = path.read_text(encoding="utf-8").replace(f'msgid "{DEAR}"', f'msgid "{DEAR}"', 1)
    at = text.index(f'msgid "{DEAR}"')
    block = text.rfind("\n\n", 0, at) + 2
    path.write_text(text[:block] + f"# {hint.group(1)}\n" + text[block:], encoding="utf-8")
    _gnu("msgcat", "-o", str(path), str(path))
    _gnu("msgmerge", "-q", "-U", "--backup=none", str(path), str(cfg.template_path))
    second = run("check", "--lang", "de")
    assert second.exit_code == 0, second.output
    assert "accepted glossary:" in second.stdout and "1 accepted" in second.stderr
    update.update(cfg, ["de"])
    assert run("check", "--lang", "de").exit_code == 0
    catalog = po.read(path, "de")
    next(e for e in catalog.entries() if e.msgid == DEAR).msgstr += " "  # any edit voids it
    path.write_bytes(po.serialise(catalog.po, path))
    assert run("check", "--lang", "de").exit_code == 1


def test_unsafe_markup_and_placeholders_cannot_be_accepted(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    from pipeline.checks import accept

    path = catalog_for("de")
    catalog = po.read(path, "de")
    entry = next(e for e in catalog.entries() if e.msgid == "Page {page} of {pages}")
    entry.msgstr = "Seite {page}"
    entry.tcomment = f"{accept.line('placeholders', entry)}"
    path.write_bytes(po.serialise(catalog.po, path))
    from pipeline.checks.catalog import check_catalog

    codes = {(f.severity, f.code) for f in check_catalog(cfg, "de", None)}
    assert ("error", "placeholders") in codes and ("accepted", "placeholders") not in codes


# -- machine output --------------------------------------------------------------------


def test_json_has_one_envelope_relative_paths_entry_keys_and_errors_per_language(
    cfg: config.Config, catalog_for: Callable[[str], Path], run: Callable[..., Result]
) -> None:
    _glossary_error(cfg, catalog_for)
    (cfg.root / "locale" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (cfg.root / "locale" / "fr" / "LC_MESSAGES" / "letter.po").write_text("not a catalog", encoding="utf-8")
    for command in ("check", "status"):
        result = run(command, "--lang", "de", "--lang", "fr", "--json")
        assert result.exit_code == 1
        data = json.loads(result.stdout)
        assert data["schema"] == 1 and data["command"] == command
        [document] = data["documents"]
        assert document["document"] == "letter" and document["source"] == "source/letter.md"
        de, fr = document["languages"]
        assert de["error"] is None and de["catalog"] == "locale/de/LC_MESSAGES/letter.po"
        assert fr["error"]["path"] == "locale/fr/LC_MESSAGES/letter.po" and fr["error"]["message"]
        assert re.fullmatch(r"[0-9a-f]{10}", de["revision"])
    findings = json.loads(run("check", "--lang", "de", "--json").stdout)["documents"][0]["languages"][0][
        "findings"
    ]
    glossary = next(f for f in findings if f["code"] == "glossary")
    assert glossary["path"] == "locale/de/LC_MESSAGES/letter.po" and glossary["line"] > 1
    assert glossary["entry"] == {"msgctxt": None, "msgid_hash": marks.digest(DEAR)}
    assert glossary["accept"].startswith("accept: glossary ")
