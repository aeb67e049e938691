"""The reference unit before a cited number: a glossary row with ``{n}`` says each language's word.

Only errors are compared: the sentences are short, so the length and punctuation warnings are not
what these tests are about."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from pipeline import config
from pipeline.catalogs import glossary
from pipeline.checks.catalog import load_glossary
from pipeline.checks.entry import check_entry
from pipeline.errors import GlossaryError
from pipeline.mt.glossaries import glossary_dictionaries

from .helpers import ROOT

TERMS = load_glossary(config.load(ROOT))
SOURCE = "Article 5(1)(d) aims at it, as Article 9(4) of the GDPR does (Article 31)."


def _found(code: str, msgstr: str, msgid: str = SOURCE, terms: glossary.Glossary | None = TERMS) -> list[str]:
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["fuzzy"])
    found = check_entry(code, entry, terms)
    return [f"{kind}: {message}" for level, kind, message in found if level == "error"]


def test_the_source_cites_each_unit_and_number_once_and_a_row_of_its_own_wins() -> None:
    assert TERMS is not None
    cited = [(t.english, n) for t, n in TERMS.cited(SOURCE)]
    # "Article 31" is a row of its own (a resolution's paragraph): not an article citation too
    assert cited == [("Article {n}", "5"), ("Article {n}", "9")]
    assert [t.english for t in TERMS.in_source(SOURCE)] == ["Article 31"]
    article = TERMS.cited("Article 12")[0][0]
    # other spellings (glossary-forms.csv's en rows) and any spacing; a year is no citation
    assert TERMS.cited("Articles 12 and art. 3, in 1998, or article\u00a07 and Article 12") == [
        (article, "12"),
        (article, "3"),
        (article, "7"),
    ]


def test_citations_come_in_the_order_of_the_text_and_any_spacing_counts() -> None:
    assert TERMS is not None
    found = TERMS.cited("Articles 12, Articles 14 and Art.5, then Article 3")
    assert [n for _, n in found] == ["12", "14", "5", "3"]
    # a row of its own, however it is written in the source: not an article citation
    assert TERMS.cited("as its Art. 31 says") == []
    assert [t.english for t in TERMS.in_source("as its Art. 31 says")] == ["Article 31"]


def test_the_units_are_read_in_the_text_a_reader_sees() -> None:
    # emphasis around the unit or a link on it hides nothing from either check
    source = "**Article** 5 as [Article 9](https://e.org) (*Article* 31)."
    assert _found("de", "**Artikel** 5 wie [Artikel 9](https://e.org) (*Ziffer* 31).", source) == []
    wrong = _found("de", "**Artikel** 5 wie [Artikel 9](https://e.org) (*Artikel* 31).", source)
    assert any(f.startswith("glossary: 'Article 31'") for f in wrong), wrong


@pytest.mark.parametrize(
    ("code", "msgstr"),
    [
        ("de", "Artikel 5 Absatz 1 Buchstabe d zielt darauf, wie Artikel 9 Absatz 4 DSGVO (Ziffer 31)."),
        ("hu", "Az 5. cikk (1) bekezdésének d) pontja, mint a GDPR 9. cikkének (4) bekezdése (31. bekezdés)"),
        ("pt", "O artigo 5.º, n.º 1, alínea d), como o artigo 9.º, n.º 4, do RGPD (n.º 31)."),
        ("hr", "U članku 5. stavku 1. točki (d), kao i članak 9. stavak 4. OUZP-a (točka 31.)."),
        ("fi", "5 artiklan 1 kohdan d alakohta, kuten tietosuoja-asetuksen 9 artiklan 4 kohta (31 kohta)."),
        # a no-break space between the unit and its number is a space
        ("fr", "L'article\u00a05, paragraphe 1, point d), comme l'article 9, par. 4 (paragraphe\u00a031)."),
    ],
)
def test_each_language_names_the_unit_beside_the_same_number(code: str, msgstr: str) -> None:
    assert _found(code, msgstr) == []


@pytest.mark.parametrize(
    ("code", "msgstr", "expected"),
    [
        # the paragraph of the resolution written as an article: the row of its own says so
        (
            "de",
            "Artikel 5 Absatz 1 Buchstabe d, wie Artikel 9 Absatz 4 DSGVO (Artikel 31).",
            "glossary: 'Article 31' should be 'Ziffer 31'",
        ),
        # an article written as a paragraph
        ("fr", "Le paragraphe 5, comme l'article 9 du RGPD (paragraphe 31).", "reference: 'Article 5'"),
        # the unit beside another number is not the reference: 59 is not 9, 15 is not 5
        ("de", "Artikel 15 und Artikel 59 (Ziffer 31).", "reference: 'Article 5' should read 'Artikel 5 /"),
        ("de", "Artikel 15 und Artikel 59 (Ziffer 31).", "reference: 'Article 9' should read 'Artikel 9 /"),
        # a number in another unit's words: "point 31" is not "paragraphe 31"
        ("fr", "L'article 5, comme l'article 9 du RGPD (point 31).", "glossary: 'Article 31'"),
    ],
)
def test_a_wrong_unit_or_number_is_an_error_naming_the_expected_words(
    code: str, msgstr: str, expected: str
) -> None:
    assert any(found.startswith(expected) for found in _found(code, msgstr)), _found(code, msgstr)


def test_any_entry_citing_an_article_is_checked() -> None:
    entry = polib.POEntry(msgid="See Article 12.", msgstr="Siehe Absatz 12.", flags=["fuzzy"])
    assert [k for _, k, _ in check_entry("de", entry, TERMS)] == ["reference"]


def _write(tmp_path: Path, rows: list[str], forms: list[str] | None = None) -> Path:
    codes = ",".join(["de", "fr"])
    path = tmp_path / "glossary.csv"
    path.write_text("\n".join([f"term,translate,note,{codes}", *rows]) + "\n", encoding="utf-8")
    if forms is not None:
        (tmp_path / "glossary-forms.csv").write_text("\n".join(["term,lang,form", *forms]) + "\n")
    return path


def test_a_reference_row_of_another_glossary_works_for_any_unit(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        ["Recital {n},yes,,Erwägungsgrund {n},considérant {n}", "data,yes,,Daten,données"],
        ["Recital {n},de,Erwägungsgrunds {n}", "Recital {n},en,recitals {n}"],
    )
    terms = glossary.load(path)
    assert _found("de", "Nach Erwägungsgrund 40 und den Daten.", "Under Recital 40, the data.", terms) == []
    assert _found("fr", "Selon le considérant 40, les données.", "Under recitals 40, the data.", terms) == []
    assert _found("de", "Nach Artikel 40 und den Daten.", "Under Recital 40, the data.", terms) == [
        "reference: 'Recital 40' should read 'Erwägungsgrund 40 / Erwägungsgrunds 40' (locale/glossary.csv)"
    ]
    # a DeepL glossary holds words: the pattern row stays out of it
    assert glossary_dictionaries(terms, ["de", "fr"]) == {"DE": {"data": "Daten"}, "FR": {"data": "données"}}


@pytest.mark.parametrize(
    ("rows", "forms", "message"),
    [
        (["Article {n},yes,,Artikel,article {n}"], None, "de term 'Artikel' must hold {n} once"),
        (["Article {n} {n},yes,,Artikel {n},article {n}"], None, "must hold {n} once"),
        (["{n},yes,,{n},{n}"], None, "term '{n}' must hold {n} once, with the unit's word"),
        (["Article {n},yes,,Artikel {n},article {n}"], ["Article {n},de,Artikels"], "form 'Artikels' must"),
    ],
)
def test_a_reference_row_without_its_number_is_refused_with_file_and_line(
    tmp_path: Path, rows: list[str], forms: list[str] | None, message: str
) -> None:
    path = _write(tmp_path, rows, forms)
    with pytest.raises(GlossaryError, match=message.replace("{", r"\{").replace("}", r"\}")) as caught:
        glossary.load(path)
    assert caught.value.line == 2
