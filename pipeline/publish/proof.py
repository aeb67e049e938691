"""The review proof: source and translation side by side, with state, .po line and findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .. import languages
from ..catalogs import marks, po, safety
from ..catalogs.marks import State
from ..checks import catalog as checks
from ..config import Config
from ..errors import RenderError
from ..files import atomic_write, writes_project
from ..source import document, interface, markup
from ..source.segments import segments
from ..typeset import fonts, page
from ..typeset.markdown import inline_html
from ..typeset.pdf import write_pdf
from . import state

STATE_WORDS = {
    State.REVIEWED: "reviewed (edited by a person)",
    State.APPROVED: "approved unchanged from the draft or machine text",
    State.UNREVIEWED: "unreviewed",
    State.STALE: "stale: the source changed since",
    State.UNTRANSLATED: "untranslated",
}


@dataclass(frozen=True)
class ProofRow:
    line: int
    comment: str
    source: Markup | str
    translation: Markup | str  # HTML, or the text of what is refused
    previous: Markup | str  # HTML of the old source (stale entries)
    state: State
    findings: list[str]


def _inline(text: str) -> Markup:
    return inline_html(text, mode="proof")


def proof_path(config: Config, code: str) -> Path:
    return state.proof_path(config, code, document.slug(config))


def rows(config: Config, code: str) -> list[ProofRow]:
    catalog = po.read(config.catalog_path(code), code)
    found: dict[int, list[str]] = {}
    for f in checks.check_catalog(config, code, checks.load_glossary(config)):
        found.setdefault(f.line, []).append(f"{f.severity} {f.code}: {f.message}")
    # Only the source's own texts are Markdown it checked: an entry the source lacks, and an
    # old source (#|, which anyone can write), are shown as the text they are.
    own = {s.key for s in segments(document.read(config), config.root)}
    result = []
    for entry in catalog.entries():
        st = marks.state(entry)
        plain = entry.msgctxt == interface.CONTEXT or (entry.msgctxt, entry.msgid) not in own
        unsafe = safety.problems(entry.msgid, entry.msgstr, plain=plain) if entry.msgstr else []
        show: Callable[[str], Markup | str] = str if plain else _inline  # an interface string is text
        translated: Markup | str
        if not entry.msgstr:
            translated = "—"
        elif unsafe:
            # Never render what the checks refuse: show it as text.
            translated = Markup("<code>%s</code>") % entry.msgstr[:2000]
        else:
            translated = show(entry.msgstr)
        comment = entry.comment or ""
        if entry.msgctxt:
            comment = f"{entry.msgctxt}: {comment}"
        result.append(
            ProofRow(
                entry.linenum,
                comment.splitlines()[0] if comment else "",
                show(entry.msgid),
                translated,
                entry.previous_msgid if entry.previous_msgid and st is State.STALE else "",
                st,
                found.get(entry.linenum, []),
            )
        )
    return result


@writes_project
def render_proof(config: Config, code: str) -> Path:
    """Write output/<ll>/<slug>-<ll>-proof.pdf."""
    if code == languages.SOURCE_CODE:
        raise RenderError("the English source has no proof: it is the original")
    lang = languages.get(code)
    table = rows(config, code)
    doc = document.read(config)
    counts = {st: sum(1 for r in table if r.state is st) for st in State}
    html = (
        page.environment()
        .get_template("proof.html")
        .render(
            lang=lang,
            rows=table,
            counts=counts,
            words=STATE_WORDS,
            title=markup.visible_text(doc.title, urls=True),
            catalog=config.catalog_path(code).relative_to(config.root).as_posix(),
            revision=state.revision(config, code),
            fonts=[(f.family, f.path.as_uri(), f.weight, f.italic) for f in fonts.all_faces()],
            **page.font_stacks(),
            date_iso=doc.date.isoformat() if doc.date else "",
            State=State,
            css_url=page.css_url,
        )
    )
    data, _ = write_pdf(html, config, variant="none")
    path = proof_path(config, code)
    atomic_write(path, data)
    return path
