"""The page model: a document in one language, as the values its template needs, and the HTML."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from markupsafe import Markup, escape

from .. import languages
from ..catalogs.marks import State
from ..source import interface, markup
from ..source.anchors import note_id, ref_id
from ..source.document import Document
from . import fonts, hyphenation
from .lookup import Translation
from .markdown import body_html, inline_html

if TYPE_CHECKING:  # Jinja2 and Babel load where a page is made, not where a render is found current
    import jinja2
    from babel import Locale

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Signatory:
    """One organisation or person as the template prints them (plain text; ``role`` and ``where``
    are HTML the Markdown renderer made)."""

    name: str
    where: tuple[Markup | str, ...] = ()
    role: Markup | None = None
    affiliation: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Page:
    """Everything the template needs; ``mode`` is "pdf" (footnotes at the foot) or "html".

    Plain ``str`` values are text, escaped by the template; ``Markup`` values are HTML
    that the msgid form's renderer produced, the only HTML a page takes."""

    lang: languages.Language
    title: Markup
    plain_title: str  # for <title> and the PDF /Title
    dateline: Markup | None  # a letter's place and date; None for a document without
    extra: tuple[str, ...]  # author, version, licence, as the front matter gives them
    body: Markup
    notes: list[tuple[str, Markup]]  # html mode: (label, html)
    organisations: list[Signatory]
    individuals: list[Signatory]
    draft: bool
    labels: dict[str, str]
    page_label: list[tuple[str, str]]  # ("text", …), ("page", ""), ("pages", ""), in the translator's order
    revision: str
    organisation: str
    date_iso: str
    mode: str
    fonts: list[tuple[str, str, int, bool]]  # (family, url, weight, italic)
    alternates: tuple[Alternate, ...] = ()  # the web page's other languages (the switcher)
    index_href: str = "../index.html"  # the download page, relative to the page


@dataclass(frozen=True)
class Alternate:
    """This document in one language, as the web page links to it: relative, so the output
    folder works from disk and copied to a website as it is."""

    code: str
    html_lang: str
    autonym: str
    href: str
    current: bool


def alternates(slug: str, codes: Sequence[str], current: str) -> tuple[Alternate, ...]:
    return tuple(
        Alternate(
            code,
            languages.get(code).html_lang,
            languages.autonym(code),
            f"../{code}/{slug}-{code}.html",
            code == current,
        )
        for code in codes
    )


def _ui(translation: Translation, key: str) -> str:
    return translation.text(interface.STRINGS[key].msgid, interface.CONTEXT)


def _split_page_label(label: str) -> list[tuple[str, str]]:
    """The page label's text and its two counters, in whatever order the language needs."""
    pieces = []
    for piece in re.split(r"(\{pages?\})", label):
        if piece in ("{page}", "{pages}"):
            pieces.append((piece.strip("{}"), ""))
        elif piece:
            pieces.append(("text", piece))
    return pieces


def _signatories(
    doc: Document, translation: Translation, locale: Locale
) -> tuple[list[Signatory], list[Signatory]]:
    sig = doc.signatories
    territories = locale.territories

    def where(codes: tuple[str, ...]) -> tuple[Markup | str, ...]:
        return tuple(
            inline_html(translation.text(sig.scopes[c])) if c in sig.scopes else str(territories[c])
            for c in codes
        )

    organisations = [Signatory(o.name, where(o.where)) for o in sig.organisations]
    individuals = [
        Signatory(
            p.name,
            role=inline_html(translation.text(p.role)),
            affiliation=p.affiliation,
            country=str(territories[p.country]) if p.country else None,
        )
        for p in sig.individuals
    ]
    return organisations, individuals


# Front matter a reader is shown under the title (values only: no English label).
_SHOWN_EXTRA = ("author", "authors", "version", "licence", "license")


def _dateline(doc: Document, translation: Translation, locale: Locale) -> Markup | None:
    if doc.place is None or doc.date is None:
        return None
    place = inline_html(translation.text(doc.place))
    from babel.dates import format_date

    date = format_date(doc.date, "full", locale=locale)
    # The interface string is text: escaped, then the two HTML values put in its fields.
    return fill(escape(_ui(translation, "dateline")), {"place": place, "date": date})


def fill(text: str, values: dict[str, str]) -> Markup:
    """``text`` with each ``{field}`` of ``values`` replaced, in one pass: a value is never
    searched for fields itself (a place translated as "{date}" stays those six characters)."""
    fields = re.compile("|".join(re.escape("{" + name + "}") for name in values))
    return Markup(fields.sub(lambda m: values[m.group()[1:-1]], text))


def build_page(
    doc: Document,
    translation: Translation,
    *,
    mode: str,
    revision: str,
    organisation: str,
    fonts: list[tuple[str, str, int, bool]],
    others: Sequence[str] = (),
) -> Page:
    """The page of ``doc`` in ``translation``'s language; ``others``: the languages the web
    page's switcher offers (this one among them)."""
    lang = languages.get(translation.code)
    from babel import Locale

    locale = Locale.parse(lang.babel)
    body, notes = body_html(doc, translation, mode)
    organisations, individuals = _signatories(doc, translation, locale)
    shown = interface.needed(
        letter=doc.place is not None and doc.date is not None,
        signed=bool(organisations or individuals),
        notes=doc.has_notes,
    )
    labels = {key: _ui(translation, key) for key, ui in interface.STRINGS.items() if ui in shown}
    labels["revision"] = fill(escape(labels["revision"]), {"revision": str(escape(revision))})
    title = translation.text(doc.title)
    return Page(
        lang=lang,
        title=inline_html(title),
        plain_title=markup.visible_text(title, urls=True),
        dateline=_dateline(doc, translation, locale),
        extra=tuple(doc.extra[k] for k in _SHOWN_EXTRA if k in doc.extra),
        body=body,
        notes=notes if mode == "html" else [],
        organisations=organisations,
        individuals=individuals,
        draft=translation.unreviewed() > 0,
        labels=labels,
        page_label=_split_page_label(_ui(translation, "page")),
        revision=revision,
        organisation=organisation,
        date_iso=doc.date.isoformat() if doc.date else "",
        mode=mode,
        fonts=fonts,
        alternates=alternates(doc.slug, others, translation.code) if mode == "html" else (),
    )


@cache
def environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value is text unless it is Markup from the Markdown renderer
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


_URL_SAFE = re.compile(r"[^A-Za-z0-9+/=:;,._~%-]")


def css_url(url: str) -> Markup:
    """A font URL for ``url("…")`` in the template's stylesheet: nothing in it can end the string."""
    return Markup(_URL_SAFE.sub(lambda m: quote(m.group()), url))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.code: list[str] = []
        self.skip = 0
        self.in_code = 0
        self.body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.body = self.body or tag == "body"
        self.skip += tag in ("style", "script", "title")
        self.in_code += tag in ("code", "pre", "kbd", "samp")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "script", "title")
        self.in_code -= tag in ("code", "pre", "kbd", "samp")

    def handle_data(self, data: str) -> None:
        if self.body and not self.skip:
            (self.code if self.in_code > 0 else self.parts).append(data)


@lru_cache(maxsize=8)
def shown_text(page_html: str) -> tuple[str, str]:
    """The characters a page's body shows: in its text, and in its code (set in the code face);
    kept for the few pages a render asks about twice (the glyph check, then the fonts)."""
    parser = _Text()
    parser.feed(page_html)
    parser.close()
    return " ".join(parser.parts), " ".join(parser.code)


def visible_text(page_html: str) -> str:
    """The characters a page's body shows (what its fonts must be able to draw)."""
    text, code = shown_text(page_html)
    return f"{text} {code}"


def content_policy(style: str, scripts: tuple[str, ...] = ()) -> str:
    """A Content-Security-Policy that allows this page's own style and scripts (by hash), fonts and
    images as data: URLs, and nothing else: no other script, style, frame or request runs."""
    hashes = " ".join(f"'sha256-{_sha256(text)}'" for text in scripts)
    script = f"script-src {hashes}" if scripts else "script-src 'none'"
    return (
        f"default-src 'none'; style-src 'sha256-{_sha256(style)}'; {script}; font-src data:; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def font_stacks() -> dict[str, str]:
    """The CSS font-family values of text and code: the project's faces only (fonts.stack)."""

    def value(first: str) -> str:
        return ", ".join(f'"{family}"' for family in fonts.stack(first))

    return {"text_stack": value(fonts.SERIF), "code_stack": value(fonts.MONO)}


def to_html(page: Page) -> str:
    env = environment()
    css = Markup((TEMPLATES / "letter.css").read_text(encoding="utf-8"))
    style = env.get_template("letter-style.css").render(
        page=page,
        css=css,
        css_url=css_url,
        justified=hyphenation.hyphenates(page.lang),
        limits=hyphenation.limits(page.lang.code),
        **font_stacks(),
    )
    return env.get_template("letter.html").render(
        page=page,
        style=Markup(style),
        csp=content_policy(style),
        note_id=note_id,
        ref_id=ref_id,
        State=State,
    )
