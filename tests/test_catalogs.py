"""Catalog files: what GNU gettext accepts and writes, and what the pipeline refuses."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from pipeline import config
from pipeline.catalogs import po, update
from pipeline.errors import CatalogError

from .helpers import msgfmt


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
