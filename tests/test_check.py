"""Check: findings for one entry at a time (pure), and the command's output."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from click.testing import Result

from pipeline import config
from pipeline.checks import entry as checks_entry
from pipeline.checks import source
from pipeline.checks.findings import ERROR

from .helpers import set_translations


def codes(
    code: str, msgid: str, msgstr: str, flags: list[str] | None = None, context: str | None = None
) -> list[str]:
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, flags=flags or [], msgctxt=context)
    return [f"{severity} {kind}" for severity, kind, _ in checks_entry.check_entry(code, entry, None)]


def test_a_good_translation_has_no_findings() -> None:
    src = "We write as **53 organisations** about [this](#) and [^1] in 2021."
    assert (
        codes("de", src, "Wir schreiben als **53 Organisationen** über [dies](#) und [^1] im Jahr 2021.")
        == []
    )


@pytest.mark.parametrize(
    ("msgstr", "expected"),
    [
        ("Wir schreiben als 53 Organisationen über [dies](#).", "error markup"),
        ("Wir schreiben als **53 Organisationen** über dies.", "error markup"),
        ("Wir schreiben als **53 Organisationen** über [dies](ftp://x).", "error unsafe"),
        ("Wir schreiben als **53 Organisationen** über [dies](file:///etc/passwd).", "error unsafe"),
        ("Wir schreiben als **Organisationen** über [dies](#).", "error numbers"),
        (" Wir schreiben als **53 Organisationen** über [dies](#).", "warning whitespace"),
        ("Wir schreiben als **53  Organisationen** über [dies](#).", "warning whitespace"),
        ("Wir schreiben als **53 Organisationen** über [dies](#)", "warning end-punctuation"),
        ("Wir „schreiben als **53 Organisationen** über [dies](#).", "warning quotes"),
        ("Wir «schreiben» als **53 Organisationen** über [dies](#).", "warning quotes"),
    ],
)
def test_each_problem_is_found(msgstr: str, expected: str) -> None:
    assert expected in codes("de", "We write as **53 organisations** about [this](#).", msgstr)


def test_translator_may_point_a_link_to_their_own_language() -> None:
    assert codes("de", "See [this](#).", "Siehe [hier](https://de.example.org/).") == []


def test_numbers_accept_the_language_grouping_and_article_citations() -> None:
    src = "over 70,000 citizens and Article 5(1)(d)."
    assert codes("de", src, "über 70.000 Bürger und Artikel 5 Absatz 1 Buchstabe d.") == []
    assert codes("fr", src, "plus de 70\u202f000 citoyens et l’article 5, paragraphe 1, point d).") == []
    assert "error numbers" in codes("de", src, "über 7.000 Bürger und Artikel 5 Absatz 1 Buchstabe d.")


def test_language_punctuation_rules() -> None:
    assert codes("el", "Will you?", "Θα το κάνετε;") == []
    assert codes("sv", "the “trust”.", "förtroendets ”tillit”.") == []
    assert codes("de", "the “trust”.", "das „Vertrauen“.") == []
    assert "warning typography" in codes("fr", "Will you?", "Le ferez-vous?")
    assert "warning typography" in codes("fr", "the “trust”.", "la „confiance“.")
    assert codes("fr", "Will you?", "Le ferez-vous\u202f?") == []
    # Dutch in the EU's style: “…” (‘…’ inside), not the low-high „…”
    assert codes("nl", "the “trust”.", "het “vertrouwen”.") == []
    assert codes("nl", "the “trust”.", "het “vertrouwen in ‘AI’”.") == []
    assert "warning typography" in codes("nl", "the “trust”.", "het „vertrouwen”.")


def test_placeholders_must_survive() -> None:
    assert "error placeholders" in codes(
        "de", "Page {page} of {pages}", "Seite {page}", ["python-brace-format"], "interface"
    )


def test_deleting_the_format_flag_turns_no_placeholder_check_off() -> None:
    # The source says which strings have fields, not the catalog's own flag.
    assert "error placeholders" in codes("de", "{place}, {date}", "Brüssel", [], "interface")
    # A body text's braces are text: nothing is filled in there.
    assert "error placeholders" not in codes("de", "Write {x}.", "Schreibe x.", ["python-brace-format"])


def test_untranslated_copy_is_flagged() -> None:
    src = "These harms are not hypothetical at all."
    assert "warning untranslated" in codes("de", src, src)


def test_source_findings(cfg: config.Config) -> None:
    text = cfg.source_path.read_text(encoding="utf-8")
    cfg.source_path.write_text(text.replace("the world.[^1]", "the world.[^9]"), encoding="utf-8")
    findings = source.check_source(cfg)
    messages = [f.format(cfg.root) for f in findings if f.severity == ERROR]
    line = text.splitlines().index(next(ln for ln in text.splitlines() if ln.startswith("[^1]:"))) + 1
    ref_line = next(i for i, ln in enumerate(text.splitlines(), 1) if "the world.[^1]" in ln)
    assert messages == [
        f"source/letter.md:{line}: error footnote: footnote [^1] is defined but never referenced",
        f"source/letter.md:{ref_line}: error footnote: footnote [^9] is referenced but never defined",
    ]
    missing = [f for f in findings if f.code == "missing-link-target"]
    assert len(missing) == 24
    assert (
        missing[0].message
        == "link 'Uyghur Muslims have been systematically persecuted' has a bare '#' target: fill in the URL"
    )


def test_check_command_lines_summary_and_exit_code(
    cfg: config.Config, catalog_for: Callable[[str], Path], run: Callable[..., Result]
) -> None:
    path = catalog_for("de")
    set_translations(path, lambda e: ("Brüssel", True) if e.msgid == "Brussels" else None)
    assert run("check", "--lang", "de").exit_code == 0
    set_translations(
        path,
        lambda e: ("Wir, **Organisationen**, fragen", True) if e.msgid.startswith("**We write") else None,
    )
    line = next(e.linenum for e in polib.pofile(str(path)) if e.msgid.startswith("**We write"))
    result = run("check", "--lang", "de")
    assert result.exit_code == 1
    assert (
        f"locale/de/LC_MESSAGES/letter.po:{line}: error numbers: number(s) 53 of the source missing\n"
        in result.stdout
    )
    assert result.stderr.endswith("de: 1 errors, 2 warnings\n")
    data = run("check", "--lang", "de", "--json")
    assert '"code": "numbers"' in data.stdout
