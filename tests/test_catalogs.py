"""Catalog files: what GNU gettext accepts and writes, and what the pipeline refuses."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from click.testing import Result

from pipeline import config, languages
from pipeline.catalogs import marks, po, update
from pipeline.errors import CatalogError

from .helpers import ROOT, msgfmt


def test_written_catalogs_pass_msgfmt_and_survive_msgcat(cfg: config.Config) -> None:
    update.update(cfg, cfg.languages)
    for code in cfg.languages:
        path = cfg.catalog_path(code)
        checked = msgfmt(path)
        assert checked.returncode == 0 and checked.stderr == "", (code, checked.stderr)
        again = subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
        assert again == path.read_bytes(), code


def test_headers_are_complete_and_name_no_person(cfg: config.Config) -> None:
    update.update(cfg, ["ga", "pt"])
    ga = po.read(cfg.catalog_path("ga"), "ga").po
    assert ga.metadata["Language"] == "ga"
    assert ga.metadata["Plural-Forms"] == (
        "nplurals=5; plural=n==1 ? 0 : n==2 ? 1 : (n>2 && n<7) ? 2 :(n>6 && n<11) ? 3 : 4;"
    )
    assert ga.metadata["Last-Translator"] == "Reclaim Your Face translation team"
    assert "FULL NAME" not in cfg.catalog_path("ga").read_text()
    assert po.read(cfg.catalog_path("pt"), "pt").po.metadata["Plural-Forms"] == ("nplurals=2; plural=n > 1;")


def test_crlf_and_bom_are_read_and_normalised(cfg: config.Config, catalog_for: Callable[[str], Path]) -> None:
    path = catalog_for("de")
    clean = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + clean.replace(b"\n", b"\r\n"))
    update.update(cfg, ["de"])
    assert path.read_bytes() == clean


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    lines = text.splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if line == needle]
    return hits[nth - 1]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda t: t.replace('msgid "Brussels"', 'msgid "Brussels', 1),
            lambda t: (
                f"{_line_of(t, 'msgid ' + chr(34) + 'Brussels')}: syntax error: end-of-line within string"
            ),
        ),
        (
            lambda t: t.replace('"Language: de\\n"', '"Language: fr\\n"'),
            lambda t: (
                f"{_line_of(t, chr(34) + 'Language: fr' + chr(92) + 'n' + chr(34))}: header says "
                "Language: fr, but the folder is de"
            ),
        ),
        (
            lambda t: t + '\nmsgid "Brussels"\nmsgstr "x"\n',
            lambda t: (
                f"{_line_of(t, 'msgid ' + chr(34) + 'Brussels' + chr(34), 2)}: syntax error: duplicate "
                f"entry (first at line {_line_of(t, 'msgid ' + chr(34) + 'Brussels' + chr(34))})"
            ),
        ),
        (
            lambda t: t.replace("msgstr", "msgstrr", 3),
            lambda t: (
                f'{_line_of(t, "msgstrr " + chr(34) + chr(34))}: syntax error: keyword "msgstrr" unknown'
            ),
        ),
    ],
    ids=["unterminated", "language", "duplicate", "keyword"],
)
def test_malformed_catalog_stops_with_file_and_line(
    cfg: config.Config,
    catalog_for: Callable[[str], Path],
    run: Callable[..., Result],
    damage: Callable[[str], str],
    message: Callable[[str], str],
) -> None:
    path = catalog_for("de")
    catalog_for("fr")
    text = damage(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    before = {p: p.read_bytes() for p in (cfg.root / "locale").rglob("*.po")}
    result = run("update")
    assert result.exit_code == 1
    assert result.stderr == f"Error: locale/de/LC_MESSAGES/letter.po:{message(text)}\n"
    assert before == {p: p.read_bytes() for p in (cfg.root / "locale").rglob("*.po")}


def test_bad_encoding_names_the_line(catalog_for: Callable[[str], Path], run: Callable[..., Result]) -> None:
    path = catalog_for("de")
    data = path.read_bytes().replace(b'msgid "Brussels"', b'msgid "Br\xfcssel"')
    path.write_bytes(data)
    line = data[: data.index(b"Br\xfcssel")].count(b"\n") + 1
    result = run("update", "--lang", "de")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: locale/de/LC_MESSAGES/letter.po:{line}: not valid UTF-8 (save the file as UTF-8)\n"
    )
    assert path.read_bytes() == data


def test_save_refuses_when_the_file_changed_underneath(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    catalog = po.read(path, "de")
    edited = path.read_text(encoding="utf-8").replace(
        'msgid "Brussels"\nmsgstr ""', 'msgid "Brussels"\nmsgstr "Brüssel"'
    )
    path.write_text(edited, encoding="utf-8")
    catalog.entries()[1].msgstr = "something else"
    with pytest.raises(CatalogError, match="changed while the command ran"):
        po.save(catalog, "PO-Revision-Date")
    assert path.read_text(encoding="utf-8") == edited


def test_missing_header_is_refused(catalog_for: Callable[[str], Path], run: Callable[..., Result]) -> None:
    path = catalog_for("de")
    text = path.read_text(encoding="utf-8")
    body = text[text.index("\n\n") + 2 :]
    path.write_text(body, encoding="utf-8")
    result = run("update", "--lang", "de")
    assert result.exit_code == 1
    expected = "Error: locale/de/LC_MESSAGES/letter.po:1: missing header (the entry with an empty msgid)\n"
    assert result.stderr == expected


def test_other_plural_forms_are_tolerated_with_a_warning(
    cfg: config.Config, catalog_for: Callable[[str], Path], run: Callable[..., Result]
) -> None:
    path = catalog_for("pt")
    text = path.read_text(encoding="utf-8").replace("plural=n > 1;", "plural=(n != 1);")
    path.write_text(text, encoding="utf-8")
    result = run("check", "--lang", "pt")
    assert result.exit_code == 0
    expected = "locale/pt/LC_MESSAGES/letter.po:1: warning plural-forms: Plural-Forms differs from Weblate's"
    assert expected in result.stdout


# -- reading equals msgfmt's reading ---------------------------------------------

HOSTILE_BUT_VALID = {
    "escapes": 'msgid "Brussels"\nmsgstr "Br\\\\\\"ü\\tss\\nel"\n',
    "plural": (
        '#, fuzzy\nmsgid "%d signatory"\nmsgid_plural "%d signatories"\n'
        'msgstr[0] "%d Unterzeichner"\nmsgstr[1] "%d Unterzeichnende"\n'
    ),
    "context": 'msgctxt "sidebar"\nmsgid "Notes"\nmsgstr "Anmerkungen ä – 𝄞"\n',
    "long": 'msgid "Brussels"\nmsgstr ""\n"' + "lang " * 60 + '"\n"zweite Zeile"\n',
    "previous": '#, fuzzy\n#| msgid "Old"\nmsgid "Brussels"\nmsgstr "Brüssel (alt)"\n',
    "obsolete": '#~ msgid "Gone"\n#~ msgstr "Weg \\\\ weg"\n',
}


def _gettext_reading(path: Path, tmp: Path) -> dict[tuple[str | None, str], object]:
    """What GNU gettext reads: msgfmt --use-fuzzy (fuzzy entries are all of the drafts), then msgunfmt."""
    mo = tmp / "x.mo"
    subprocess.run(["msgfmt", "--use-fuzzy", "-o", str(mo), str(path)], check=True, capture_output=True)
    text = subprocess.run(["msgunfmt", str(mo)], check=True, capture_output=True).stdout.decode("utf-8")
    return _reading(polib.pofile(text))


def _reading(catalog: polib.POFile) -> dict[tuple[str | None, str], object]:
    return {
        (e.msgctxt, e.msgid): (
            tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural)) if e.msgid_plural else e.msgstr
        )
        for e in catalog
        if e.msgid and not e.obsolete and marks.translated(e)
    }


@pytest.mark.parametrize("code", languages.TARGET_CODES)
def test_the_pipeline_reads_each_shipped_catalog_as_msgfmt_does(code: str, tmp_path: Path) -> None:
    path = ROOT / "locale" / code / "LC_MESSAGES" / "letter.po"
    assert _reading(po.read(path, code).po) == _gettext_reading(path, tmp_path)


@pytest.mark.parametrize("case", HOSTILE_BUT_VALID, ids=list(HOSTILE_BUT_VALID))
def test_the_pipeline_reads_what_it_accepts_as_msgfmt_does(
    catalog_for: Callable[[str], Path], tmp_path: Path, case: str
) -> None:
    path = catalog_for("de")
    text = path.read_text(encoding="utf-8").replace('msgid "Brussels"\nmsgstr ""\n', "")
    path.write_text(text + "\n" + HOSTILE_BUT_VALID[case], encoding="utf-8")
    reading = _reading(po.read(path, "de").po)
    assert reading == _gettext_reading(path, tmp_path)
    assert reading or case == "obsolete"


@pytest.mark.parametrize("escape", ["\\x65", "\\145", "\\a", "\\r", "\\v", "\\b", "\\f", "\\x7f"])
def test_escapes_msgfmt_reads_differently_are_refused_with_the_line(
    catalog_for: Callable[[str], Path], run: Callable[..., Result], escape: str
) -> None:
    path = catalog_for("de")
    text = path.read_text(encoding="utf-8").replace(
        'msgid "Brussels"\nmsgstr ""', f'msgid "Brussels"\nmsgstr "Br{escape}"'
    )
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f'msgstr "Br{escape}"') + 1
    before = path.read_bytes()
    result = run("update", "--lang", "de")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: locale/de/LC_MESSAGES/letter.po:{line}: escape {escape} in a string:"
    )
    assert "write the character itself" in result.stderr
    assert path.read_bytes() == before  # the next update does not rewrite what gettext tools read


def test_plural_entries_keep_every_form_and_go_obsolete_with_them(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    path.write_text(path.read_text(encoding="utf-8") + "\n" + HOSTILE_BUT_VALID["plural"], encoding="utf-8")
    [result] = update.update(cfg, ["de"])
    assert result.obsoleted == 1
    [gone] = [e for e in po.read(path, "de").po if e.obsolete]
    assert gone.msgid_plural == "%d signatories"
    assert gone.msgstr_plural == {0: "%d Unterzeichner", 1: "%d Unterzeichnende"}
    assert msgfmt(path).returncode == 0
    assert not update.update(cfg, ["de"])[0].written


def test_a_catalog_over_10_mb_is_refused(
    catalog_for: Callable[[str], Path], run: Callable[..., Result]
) -> None:
    path = catalog_for("de")
    with path.open("a", encoding="utf-8") as handle:
        handle.write(("#  " + "x" * 1000 + "\n") * 10_600)
    result = run("status", "--lang", "de")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: locale/de/LC_MESSAGES/letter.po: the catalog is 10.")
    assert "over the 10 MB a catalog may be" in result.stderr
