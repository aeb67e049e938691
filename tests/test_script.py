"""Script mixing: Latin words in Greek and Bulgarian translations are flagged, with reason."""

from __future__ import annotations

import polib
import pytest

from pipeline import config
from pipeline.checks.catalog import load_glossary
from pipeline.checks.entry import check_entry

from .helpers import ROOT

TERMS = load_glossary(config.load(ROOT))
SOURCE = "Two rulings in [São Paulo](https://e.org/a) and Buenos Aires, says IBM."


def _codes(code: str, msgstr: str, msgctxt: str | None = None, msgid: str = SOURCE) -> set[str]:
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, msgctxt=msgctxt, flags=["fuzzy"])
    return {kind for _, kind, _ in check_entry(code, entry, TERMS)}


@pytest.mark.parametrize(
    ("code", "msgstr", "flagged"),
    [
        ("el", "Δύο αποφάσεις στο [Σάο Πάολο](https://e.org/a) και στο Μπουένος Άιρες, λέει η IBM.", False),
        ("el", "Δύο αποφάσεις στο [São Paulo](https://e.org/a) και στο Μπουένος Άιρες, λέει η IBM.", True),
        ("bg", "Две решения в [Сао Пауло](https://e.org/a) и Buenos Aires, казва IBM.", True),
        ("bg", "Две решения в [Сао Пауло](https://e.org/a) и Буенос Айрес, казва IBM.", False),
        # a link target, an autolink's address and code are not words of the text
        ("el", "Δύο αποφάσεις [εδώ](https://sao-paulo.example) <https://e.org/buenos> `aires` (IBM).", False),
        # a name the glossary keeps as it is (translate = no) is no slip
        ("bg", "Две решения в Сао Пауло и Буенос Айрес, казва Microsoft и Reclaim Your Face.", False),
        # Latin script is every other language's own
        ("de", "Zwei Urteile in [São Paulo](https://e.org/a) und Buenos Aires, sagt IBM.", False),
    ],
)
def test_latin_words_in_greek_and_cyrillic_text(code: str, msgstr: str, flagged: bool) -> None:
    assert ("script" in _codes(code, msgstr)) is flagged


def test_an_interface_string_is_read_as_text_and_its_fields_are_not_words() -> None:
    msgid = "Page {page} of {pages}"
    assert "script" not in _codes("el", "Σελίδα {page} από {pages}", "interface", msgid)
    assert "script" in _codes("el", "Page {page} από {pages}", "interface", msgid)
