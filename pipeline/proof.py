"""The review proof: source and translation side by side, with state, .po line and findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markdown_it.common.utils import escapeHtml

from . import catalogs, check, document, fonts, html, languages, render, safety
from .catalogs import State
from .config import Config
from .files import atomic_write

STATE_WORDS = {
    State.REVIEWED: "reviewed",
    State.UNREVIEWED: "unreviewed",
    State.STALE: "stale: the source changed since",
    State.UNTRANSLATED: "untranslated",
}


@dataclass(frozen=True)
class ProofRow:
    line: int
    comment: str
    source: str  # HTML
    translation: str  # HTML
    previous: str  # HTML of the old source (stale entries)
    state: State
    findings: list[str]


def _inline(text: str) -> str:
    return html.inline_html(text, mode="proof")


def proof_path(config: Config, code: str) -> Path:
    return config.output_path / code / f"{document.slug(config)}-{code}-proof.pdf"


def rows(config: Config, code: str) -> list[ProofRow]:
    catalog = catalogs.read(config.catalog_path(code), code)
    found: dict[int, list[str]] = {}
    for f in check.check_catalog(config, code, check.load_glossary(config)):
        found.setdefault(f.line, []).append(f"{f.severity} {f.code}: {f.message}")
    result = []
    for entry in catalog.entries():
        st = catalogs.state(entry)
        unsafe = safety.problems(entry.msgid, entry.msgstr) if entry.msgstr else []
        if not entry.msgstr:
            translated = "—"
        elif unsafe:
            # Never render what the checks refuse: show it as text.
            translated = f"<code>{escapeHtml(entry.msgstr[:2000])}</code>"
        else:
            translated = _inline(entry.msgstr)
        comment = entry.comment or ""
        if entry.msgctxt:
            comment = f"{entry.msgctxt}: {comment}"
        result.append(
            ProofRow(
                entry.linenum,
                comment.splitlines()[0] if comment else "",
                _inline(entry.msgid),
                translated,
                _inline(entry.previous_msgid) if entry.previous_msgid and st is State.STALE else "",
                st,
                found.get(entry.linenum, []),
            )
        )
    return result


def render_proof(config: Config, code: str) -> Path:
    """Write output/<ll>/<slug>-<ll>-proof.pdf."""
    if code == languages.SOURCE_CODE:
        raise render.RenderError("the English source has no proof: it is the original")
    lang = languages.get(code)
    table = rows(config, code)
    letter = document.read_letter(config)
    counts = {st: sum(1 for r in table if r.state is st) for st in State}
    page = (
        html.environment()
        .get_template("proof.html")
        .render(
            lang=lang,
            rows=table,
            counts=counts,
            words=STATE_WORDS,
            title=html.plain_text(letter.title),
            catalog=config.catalog_path(code).relative_to(config.root).as_posix(),
            revision=render.revision_of(config, code),
            fonts=[(f.path.as_uri(), f.weight, f.italic) for f in fonts.faces()],
            State=State,
        )
    )
    data, _ = render.write_pdf(page, config, variant="none")
    path = proof_path(config, code)
    atomic_write(path, data)
    return path
