"""Every word of a translated document is in its language, attributes included: no template
literal reaches a page that did not come from the catalog or from language-neutral data."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from babel import Locale
from babel.dates import format_date, get_day_names, get_month_names

from pipeline import config, languages
from pipeline.catalogs import po
from pipeline.source import document
from pipeline.typeset import lookup, page

from .helpers import ROOT

CFG = config.load(ROOT)
DOC = document.read(CFG)
# Attributes a reader meets (read out, shown on hover, or instead of an image).
READ = ("aria-label", "title", "alt", "placeholder", "aria-description")
_WORD = re.compile(r"[^\W\d_]+")


class _Strings(HTMLParser):
    """The text a reader meets: text nodes outside style and script, and read attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("style", "script")
        self.found += [value for name, value in attrs if name in READ and value]

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.found.append(data)


def _neutral(code: str) -> set[str]:
    """Words any language shows as they are: names, autonyms, and CLDR's own strings."""
    locale = Locale.parse(languages.get(code).babel)
    words: set[str] = set()
    for text in [
        CFG.organisation,
        *(o.name for o in DOC.signatories.organisations),
        *(p.name for p in DOC.signatories.individuals),
        *(p.affiliation or "" for p in DOC.signatories.individuals),
        *(languages.autonym(c) for c in languages.protocol_order(["en", *CFG.languages])),
        *locale.territories.values(),
        *get_day_names(locale=locale).values(),
        *get_day_names(context="stand-alone", locale=locale).values(),
        format_date(DOC.date, format="full", locale=locale) if DOC.date else "",  # CLDR's literals
        *get_month_names(locale=locale).values(),
        *get_month_names(context="stand-alone", locale=locale).values(),
    ]:
        words |= {w.lower() for w in _WORD.findall(text)}
    return words


@pytest.mark.parametrize("code", languages.TARGET_CODES)
@pytest.mark.parametrize("mode", ["html", "pdf"])
def test_no_english_literal_in_a_translated_page(code: str, mode: str) -> None:
    tr = lookup.load(CFG, code)
    others = languages.protocol_order(["en", *CFG.languages])
    built = page.build_page(
        DOC, tr, mode=mode, revision="0123456789", organisation=CFG.organisation, fonts=[], others=others
    )
    reader = _Strings()
    reader.feed(page.to_html(built))
    catalog = {
        w.lower() for e in po.read(CFG.catalog_path(code), code).entries() for w in _WORD.findall(e.msgstr)
    }
    allowed = catalog | _neutral(code)
    stray = sorted({w for text in reader.found for w in _WORD.findall(text) if w.lower() not in allowed})
    assert stray == [], (code, mode, stray)


def test_the_check_finds_a_literal_when_there_is_one() -> None:
    """The test above would catch today's kind of slip: an English word in an attribute."""
    reader = _Strings()
    reader.feed('<p>Zurück <a href="#x" aria-label="back">^</a></p><style>.back {}</style>')
    words = {w for text in reader.found for w in _WORD.findall(text)}
    assert words == {"Zurück", "back"}
