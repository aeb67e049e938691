"""The letter in one language as HTML: translated tokens, footnotes, signatories, template."""

from __future__ import annotations

import copy
import html as htmllib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from babel.dates import format_date
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from . import document, interface, languages, markup
from .catalogs import State
from .translation import Translation

TEMPLATES = Path(__file__).parent / "templates"
SOURCE_LANG = languages.get(languages.SOURCE_CODE)


@dataclass(frozen=True)
class Page:
    """Everything the template needs; ``mode`` is "pdf" (footnotes at the foot) or "html"."""

    lang: languages.Language
    title: str
    dateline: str
    body: str
    notes: list[tuple[str, str]]  # html mode: (label, html)
    organisations: list[tuple[str, str]]  # (name, where)
    individuals: list[str]
    draft: bool
    labels: dict[str, str]
    page_label: tuple[str, str, str]  # before {page}, between, after {pages}
    revision: str
    organisation: str
    date_iso: str
    mode: str
    fonts: list[tuple[str, int, bool]]  # (url, weight, italic)


# -- Markdown tokens -> HTML ---------------------------------------------------


def _render_rules(md: MarkdownIt) -> None:
    def softbreak(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: dict[str, Any]) -> str:
        return " "

    def empty(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: dict[str, Any]) -> str:
        return ""

    def lang_open(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: dict[str, Any]) -> str:
        return f'<span lang="{tokens[idx].info}">'

    def lang_close(
        self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: dict[str, Any]
    ) -> str:
        return "</span>"

    def footnote_ref(
        self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: dict[str, Any]
    ) -> str:
        label = str(tokens[idx].meta["label"])
        if env["mode"] == "proof":
            return f"<sup>[{escapeHtml(label)}]</sup>"
        if env["mode"] == "pdf":
            return f'<span class="footnote">{env["notes"].get(label, "")}</span>'
        count = env.setdefault("refcount", {})
        count[label] = count.get(label, 0) + 1
        ref_id = f"fnref-{label}" + (f"-{count[label]}" if count[label] > 1 else "")
        return f'<sup class="fnref"><a href="#fn-{label}" id="{ref_id}">{escapeHtml(label)}</a></sup>'

    md.add_render_rule("softbreak", softbreak)
    md.add_render_rule("missing_link_open", empty)
    md.add_render_rule("missing_link_close", empty)
    md.add_render_rule("lang_open", lang_open)
    md.add_render_rule("lang_close", lang_close)
    md.add_render_rule("footnote_ref", footnote_ref)


@cache
def renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    _render_rules(md)
    return md


def _unlink_missing(children: list[Token]) -> list[Token]:
    """Links whose target is a bare '#' (lost, not yet filled in) print as plain text."""
    out: list[Token] = []
    depth: list[bool] = []
    for tok in children:
        if tok.type == "link_open":
            missing = tok.attrGet("href") == "#"
            depth.append(missing)
            if missing:
                tok = Token("missing_link_open", "", 1)
        elif tok.type == "link_close" and depth and depth.pop():
            tok = Token("missing_link_close", "", -1)
        out.append(tok)
    return out


def translate_inline(children: list[Token], translation: Translation) -> list[Token]:
    """The tokens of one block in the target language (or the source, where it falls back)."""
    msgid = markup.to_markdown(children)
    use = translation.use(msgid)
    new = (
        markup.parse_inline(use.text)
        if use.translated and not translation.is_source
        else copy.deepcopy(children)
    )
    new = _unlink_missing(new)
    if not use.translated and not translation.is_source:
        new = [Token("lang_open", "", 1, info=SOURCE_LANG.html_lang), *new, Token("lang_close", "", -1)]
    return new


def body_html(
    letter: document.Letter, translation: Translation, mode: str
) -> tuple[str, list[tuple[str, str]]]:
    """The body of the letter, and (html mode) its footnotes as (label, html)."""
    tokens = copy.deepcopy(letter.tokens)
    md = renderer()
    env: dict[str, Any] = {"mode": mode, "notes": {}}
    for tok in tokens:
        if tok.type == "inline" and tok.children:
            tok.children = translate_inline(tok.children, translation)
    main, notes = _split_footnotes(tokens)
    rendered_notes: list[tuple[str, str]] = []
    for label, note_tokens in notes:
        inner = md.renderer.render(note_tokens, md.options, env).strip()
        if inner.startswith("<p>") and inner.endswith("</p>") and inner.count("<p>") == 1:
            inner = inner[3:-4]
        env["notes"][label] = inner
        rendered_notes.append((label, inner))
    return md.renderer.render(main, md.options, env), rendered_notes


def _split_footnotes(tokens: list[Token]) -> tuple[list[Token], list[tuple[str, list[Token]]]]:
    main: list[Token] = []
    notes: list[tuple[str, list[Token]]] = []
    current: list[Token] | None = None
    for tok in tokens:
        if tok.type in ("footnote_block_open", "footnote_block_close", "footnote_anchor"):
            continue
        if tok.type == "footnote_open":
            current = []
            notes.append((str(tok.meta["label"]), current))
        elif tok.type == "footnote_close":
            current = None
        elif current is not None:
            current.append(tok)
        else:
            main.append(tok)
    return main, notes


# -- the page ------------------------------------------------------------------


def _ui(translation: Translation, key: str) -> str:
    return translation.text(interface.STRINGS[key].msgid, interface.CONTEXT)


def inline_html(text: str, mode: str = "html") -> str:
    """One segment (title, place, scope, or a proof's cell) as inline HTML."""
    children = _unlink_missing(markup.parse_inline(text))
    md = renderer()
    inline: RendererHTML = md.renderer  # type: ignore[assignment]
    return inline.renderInline(children, md.options, {"mode": mode, "notes": {}})


def _split_page_label(label: str) -> tuple[str, str, str]:
    if "{page}" in label and "{pages}" in label and label.index("{page}") < label.index("{pages}"):
        before, rest = label.split("{page}", 1)
        between, after = rest.split("{pages}", 1)
        return before, between, after
    return "", " / ", ""


def build_page(
    letter: document.Letter,
    translation: Translation,
    *,
    mode: str,
    revision: str,
    organisation: str,
    fonts: list[tuple[str, int, bool]],
) -> Page:
    lang = languages.get(translation.code)
    locale = Locale.parse(lang.babel)
    body, notes = body_html(letter, translation, mode)
    place = inline_html(translation.text(letter.place))
    date = escapeHtml(format_date(letter.date, "full", locale=locale))
    dateline = _ui(translation, "dateline").replace("{place}", place).replace("{date}", date)
    sig = letter.signatories
    territories = locale.territories

    def where(codes: tuple[str, ...]) -> str:
        names = [
            inline_html(translation.text(sig.scopes[c])) if c in sig.scopes else escapeHtml(territories[c])
            for c in codes
        ]
        return " / ".join(names)

    organisations = [(escapeHtml(o.name), where(o.where)) for o in sig.organisations]
    individuals = []
    for person in sig.individuals:
        parts = [f"<strong>{escapeHtml(person.name)}</strong>", inline_html(translation.text(person.role))]
        if person.affiliation:
            parts.append(escapeHtml(person.affiliation))
        line = ", ".join(parts)
        if person.country:
            line += f" ({escapeHtml(territories[person.country])})"
        individuals.append(line)
    labels = {key: _ui(translation, key) for key in interface.STRINGS}  # plain text
    labels["revision"] = labels["revision"].replace("{revision}", revision)
    title = translation.text(letter.title)
    return Page(
        lang=lang,
        title=inline_html(title),
        dateline=dateline,
        body=body,
        notes=notes if mode == "html" else [],
        organisations=organisations,
        individuals=individuals,
        draft=translation.unreviewed() > 0,
        labels=labels,
        page_label=_split_page_label(_ui(translation, "page")),
        revision=revision,
        organisation=organisation,
        date_iso=letter.date.isoformat(),
        mode=mode,
        fonts=fonts,
    )


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # every value is escaped or rendered HTML already
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'


def visible_text(page_html: str) -> str:
    """The characters a page's body shows (what its font must be able to draw)."""
    body = page_html.split("<body", 1)[-1]
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", body))


def plain_text(markdown_text: str) -> str:
    """Inline Markdown as the plain text a <title> or a PDF /Title holds."""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", inline_html(markdown_text)))


def plain_title(page: Page) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", page.title))


def to_html(page: Page) -> str:
    css = (TEMPLATES / "letter.css").read_text(encoding="utf-8")
    return (
        environment()
        .get_template("letter.html")
        .render(page=page, css=css, css_string=css_string, plain_title=plain_title(page), State=State)
    )
