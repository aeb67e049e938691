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
from ..source import anchors, markup
from ..source.anchors import note_id, ref_id
from ..source.document import Document
from .lookup import Translation

SOURCE_LANG = languages.get(languages.SOURCE_CODE)


Env = dict[str, Any]


def _softbreak(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: Env) -> str:
    return " "


def _empty(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: Env) -> str:
    return ""


def _lang_open(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: Env) -> str:
    return f'<span lang="{tokens[idx].info}">'


def _lang_close(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: Env) -> str:
    return "</span>"


def _footnote_ref(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: Env) -> str:
    label = str(tokens[idx].meta["label"])
    if env["mode"] == "proof":
        return f"<sup>[{escapeHtml(label)}]</sup>"
    if env["mode"] == "pdf":
        # The note is printed once, at its first reference; a later one repeats its number
        # (WeasyPrint counts footnotes through the document, one per note).
        numbers = env.setdefault("numbers", {})
        if label in numbers:
            return f'<sup class="fnref">{numbers[label]}</sup>'
        numbers[label] = len(numbers) + 1
        return f'<span class="footnote">{env["notes"].get(label, "")}</span>'
    count = env.setdefault("refcount", {})
    count[label] = count.get(label, 0) + 1
    ident = ref_id(label, count[label])
    return f'<sup class="fnref"><a href="#{note_id(label)}" id="{ident}">{escapeHtml(label)}</a></sup>'


def _cell_open(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: Env) -> str:
    # GFM writes alignment as an inline style; a page takes none: a class instead.
    tok = tokens[idx]
    align = str(tok.attrGet("style") or "").removeprefix("text-align:")
    cls = f' class="align-{align}"' if align in ("left", "center", "right") else ""
    return f"<{tok.tag}{cls}>"


def _image(self: Any, tokens: list[Token], idx: int, options: OptionsDict, env: Env) -> str:
    """A checked file of the source (inlined for the web, a file for the PDF); anything else,
    and every image of a proof, as its description in brackets."""
    tok = tokens[idx]
    alt = escapeHtml(markup.visible_tokens(tok.children or []))
    url = env.get("images", {}).get(str(tok.attrGet("src") or ""))
    if url is None or env["mode"] == "proof":
        return f"[{alt}]"
    title = tok.attrGet("title")
    extra = f' title="{escapeHtml(str(title))}"' if title else ""
    return f'<img src="{escapeHtml(url)}" alt="{alt}"{extra}>'


_RULES = {
    "softbreak": _softbreak,
    "missing_link_open": _empty,
    "missing_link_close": _empty,
    "lang_open": _lang_open,
    "lang_close": _lang_close,
    "footnote_ref": _footnote_ref,
    "th_open": _cell_open,
    "td_open": _cell_open,
    "image": _image,
}


def image_urls(doc: Document, mode: str) -> dict[str, str]:
    """Each image's address in a page of ``mode``: data: for the web, the file for the PDF."""
    if mode == "html":
        return {src: image.data_uri() for src, image in doc.images.shown.items()}
    return {src: image.path.as_uri() for src, image in doc.images.shown.items()}


@cache
def renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    for name, rule in _RULES.items():
        md.add_render_rule(name, rule)
    return md


def _unlink_missing(children: list[Token], ids: frozenset[str] = frozenset()) -> list[Token]:
    """Links whose target is a bare '#' (lost, not yet filled in), or an id the document does
    not have, print as plain text (check reports them)."""
    out: list[Token] = []
    depth: list[bool] = []
    for tok in children:
        if tok.type == "link_open":
            href = str(tok.attrGet("href") or "")
            ident = anchors.target_id(href)
            missing = href == "#" or (ident is not None and ident not in ids)
            depth.append(missing)
            if missing:
                tok = Token("missing_link_open", "", 1)
        elif tok.type == "link_close" and depth and depth.pop():
            tok = Token("missing_link_close", "", -1)
        out.append(tok)
    return out


def translate_inline(
    children: list[Token], translation: Translation, ids: frozenset[str] = frozenset()
) -> list[Token]:
    """The tokens of one block in the target language (or the source, where it falls back)."""
    if not markup.translatable(children):  # nothing to translate: shown as it is, in any language
        return _unlink_missing(copy.deepcopy(children), ids)
    msgid = markup.to_markdown(children)
    use = translation.use(msgid)
    new = (
        markup.parse_inline(use.text)
        if use.translated and not translation.is_source
        else copy.deepcopy(children)
    )
    new = _unlink_missing(new, ids)
    if not use.translated and not translation.is_source:
        new = [Token("lang_open", "", 1, info=SOURCE_LANG.html_lang), *new, Token("lang_close", "", -1)]
    return new


def _translated_block(children: list[Token], translation: Translation, ids: frozenset[str]) -> list[Token]:
    """``translate_inline``, once a block and language: the PDF and the web page of a render
    show the same tokens (the renderer only reads them). The entry keeps the source's list, so
    its ``id`` is never another's while the entry lives."""
    kept = translation.blocks.get(id(children))
    if kept is not None and kept[0] is children and kept[1] == ids:
        return kept[2]
    made = translate_inline(children, translation, ids)
    translation.blocks[id(children)] = (children, ids, made)
    return made


def body_html(doc: Document, translation: Translation, mode: str) -> tuple[Markup, list[tuple[str, Markup]]]:
    """The body of the document, and (html mode) its footnotes as (label, html)."""
    # Each token copied, not deeply: only inline children change, and translate_inline makes
    # them anew (a deep copy of the whole document cost a tenth of a second a page).
    tokens = [copy.copy(tok) for tok in doc.tokens]
    md = renderer()
    env: Env = {"mode": mode, "notes": {}, "images": image_urls(doc, mode)}
    ids = frozenset(doc.headings)
    for tok in tokens:
        if tok.type == "inline" and tok.children:
            tok.children = _translated_block(tok.children, translation, ids)
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
