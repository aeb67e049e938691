"""Markdown to HTML for a page: a language's tokens, footnotes per mode, missing links as text."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from markupsafe import Markup

from .. import languages
from ..source import markup
from ..source.anchors import note_id, ref_id
from ..source.document import Document
from .lookup import Translation

SOURCE_LANG = languages.get(languages.SOURCE_CODE)


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
        ident = ref_id(label, count[label])
        return f'<sup class="fnref"><a href="#{note_id(label)}" id="{ident}">{escapeHtml(label)}</a></sup>'

    md.add_render_rule("softbreak", softbreak)
    md.add_render_rule("missing_link_open", empty)
    md.add_render_rule("missing_link_close", empty)
    md.add_render_rule("lang_open", lang_open)
    md.add_render_rule("lang_close", lang_close)

    def cell_open(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: dict[str, Any]) -> str:
        # GFM writes alignment as an inline style; a page takes none: a class instead.
        tok = tokens[idx]
        align = str(tok.attrGet("style") or "").removeprefix("text-align:")
        cls = f' class="align-{align}"' if align in ("left", "center", "right") else ""
        return f"<{tok.tag}{cls}>"

    md.add_render_rule("footnote_ref", footnote_ref)
    md.add_render_rule("th_open", cell_open)
    md.add_render_rule("td_open", cell_open)


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


def body_html(doc: Document, translation: Translation, mode: str) -> tuple[Markup, list[tuple[str, Markup]]]:
    """The body of the document, and (html mode) its footnotes as (label, html)."""
    tokens = copy.deepcopy(doc.tokens)
    md = renderer()
    env: dict[str, Any] = {"mode": mode, "notes": {}}
    for tok in tokens:
        if tok.type == "inline" and tok.children:
            tok.children = translate_inline(tok.children, translation)
    main, notes = _split_footnotes(tokens)
    rendered_notes: list[tuple[str, Markup]] = []
    for label, note_tokens in notes:
        inner = md.renderer.render(note_tokens, md.options, env).strip()
        if inner.startswith("<p>") and inner.endswith("</p>") and inner.count("<p>") == 1:
            inner = inner[3:-4]
        env["notes"][label] = inner
        # The renderer escapes every text it writes: its output is the only HTML marked safe.
        rendered_notes.append((label, Markup(inner)))
    return Markup(md.renderer.render(main, md.options, env)), rendered_notes


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


def inline_html(text: str, mode: str = "html") -> Markup:
    """One segment (title, place, scope, or a proof's cell) as inline HTML."""
    children = _unlink_missing(markup.parse_inline(text))
    md = renderer()
    inline: RendererHTML = md.renderer  # type: ignore[assignment]
    return Markup(inline.renderInline(children, md.options, {"mode": mode, "notes": {}}))
