"""check and render agree: what check passes renders as the same visible text; what check refuses,
render refuses. Over generated translations, at the HTML level (no PDF per example)."""

from __future__ import annotations

import tempfile
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import config
from pipeline.catalogs import safety
from pipeline.checks.entry import check_entry
from pipeline.errors import RenderError
from pipeline.source import document, interface, markup
from pipeline.source.segments import segments
from pipeline.typeset import page
from pipeline.typeset.lookup import Translation
from pipeline.typeset.markdown import body_html

from .allowlist import violations
from .strategies import ANY_TARGETS, inline

SOURCE = "We ask *you*, the [Members](https://e.org/mep), to act on **70,000** voices.[^1]"
FRONT = '---\ntitle: "T"\nplace: P\ndate: 2022-05-10\nslug: s\nsignatories: s.yaml\n---\n\n'
SNIPPETS = [
    "<svg/onload=alert(1)>", "\\<script\\>", "&lt;b&gt;", "&#8238;", "\u202e", "\u200b", "\u2066", "<!--",
    "[^1]", "[^2]", "[x](javascript:alert(1))", "[x](https://e.org/mep)", "![i](x.png)", "<https://e.org>",
    "{place}", "{date}", "{page}", "{pages}", "*", "**", "_", "`", "\\", "&amp;", "a\u0301\u0301\u0301\u0301",
    " ", "\n", "Wir", "fragen", "70.000", "Stimmen",
]  # fmt: skip
translations = st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=6)), max_size=8).map("".join)


class _Text(HTMLParser):
    """The text a reader sees in a rendered fragment: text nodes and image descriptions, not the
    footnote numbers (their own element), nothing of an attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("sup", "style", "title"):
            self.skip += 1
        if tag == "img":
            self.parts.append(dict(attrs).get("alt") or "")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("sup", "style", "title")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _shown(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


@cache
def _document() -> tuple[document.Document, tuple[str | None, str]]:
    root = Path(tempfile.mkdtemp())
    (root / "source").mkdir()
    (root / "source" / "letter.md").write_text(FRONT + SOURCE + "\n\n[^1]: A note.\n", encoding="utf-8")
    (root / "source" / "s.yaml").write_text(
        "scopes: {}\norganisations:\n  - name: Org\nindividuals:\n  - name: Ann\n    role: R\n",
        encoding="utf-8",
    )
    doc = document.read(config.Config(root=root))
    return doc, next(s.key for s in segments(doc, root) if s.msgid.startswith("We ask"))


def _errors(msgid: str, msgstr: str, context: str | None = None) -> list[str]:
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, msgctxt=context, flags=[])
    return [kind for severity, kind, _ in check_entry("de", entry, None) if severity == "error"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(translations, inline(targets=ANY_TARGETS, extra=("image",))))
def test_a_body_entry_check_passes_renders_as_its_text(msgstr: str) -> None:
    doc, key = _document()
    msgid = key[1]
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr)
    tr = Translation("de", Path("de.po"), {key: entry})
    unsafe = "unsafe" in _errors(msgid, msgstr)
    if not msgstr:
        return
    try:
        body, _ = body_html(doc, tr, "html")
    except RenderError:
        assert unsafe, msgstr  # render refuses only what check reports
        return
    assert not unsafe, msgstr  # what check refuses, render refuses too
    shown = _shown(body)
    assert shown == " ".join(markup.visible_text(msgstr, urls=True).split()), msgstr


HTML_LABELS = {
    "dateline": "dateline",
    "draft_mark": "draft-mark",
    "original_note": "original-note",
    "revision": "revision",
}


@pytest.mark.parametrize("key", list(interface.STRINGS))
@settings(max_examples=40, deadline=None)
@given(msgstr=translations)
def test_an_interface_string_check_passes_renders_as_its_text(key: str, msgstr: str) -> None:
    doc, _ = _document()
    ui = interface.STRINGS[key]
    entry = polib.POEntry(msgid=ui.msgid, msgstr=msgstr, msgctxt=interface.CONTEXT, flags=["fuzzy"])
    tr = Translation("de", Path("de.po"), {(interface.CONTEXT, ui.msgid): entry})
    errors = _errors(ui.msgid, msgstr, interface.CONTEXT)
    if not msgstr:
        return
    mode = "pdf" if key == "page" else "html"
    try:
        built = page.build_page(
            doc, tr, mode=mode, revision="0123456789", organisation="O", fonts=[], others=("de", "en")
        )
        html = page.to_html(built)
    except RenderError:
        assert "unsafe" in errors, msgstr
        return
    assert "unsafe" not in errors, msgstr
    if mode == "html":
        assert violations(html) == []
    if "placeholders" in errors:
        return  # a field lost or added: check says so; the text is still only text
    fields = {
        "dateline": {"{place}": "P", "{date}": "Dienstag, 10. Mai 2022"},
        "revision": {"{revision}": "0123456789"},
        "page": {"{page}": "", "{pages}": ""},
    }.get(key, {})
    expected = msgstr
    for field, value in fields.items():
        expected = expected.replace(field, value)
    if key in READ_OUT:  # an attribute's text, read out by screen readers: exactly the text
        assert expected in _labels(html), (key, msgstr)
        return
    assert " ".join(expected.split()) in " ".join(_shown(html).split()), (key, msgstr)


READ_OUT = {"back_to_text"}  # interface strings a page carries as aria-label, not as text


def _labels(html: str) -> list[str]:
    found: list[str] = []

    class Labels(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend(value for name, value in attrs if name == "aria-label" and value is not None)

    Labels(convert_charrefs=True).feed(html)
    return found


def test_the_rules_are_the_ones_render_uses() -> None:
    assert safety.problems("a", "a\u202eb") and safety.problems("x", "<b>x</b>")
