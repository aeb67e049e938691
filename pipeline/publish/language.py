"""One language of a document: render its PDF and web page when its inputs changed, and refuse
what ``--final`` must not publish."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import languages
from ..catalogs import glossary, po
from ..catalogs.marks import State
from ..checks import catalog as checks
from ..checks.findings import ERROR, Finding
from ..config import Config
from ..errors import RenderError
from ..files import atomic_write, writes_project
from ..source import document
from ..source.document import Document
from ..source.segments import segments
from ..typeset import lookup, output
from . import state


@dataclass(frozen=True)
class RenderResult:
    language: str
    paths: tuple[Path, ...]
    skipped: bool  # nothing changed since the last render
    unreviewed: int  # entries shown that still await review (the document says "Draft")
    fallbacks: tuple[tuple[str, State], ...] = field(default=())  # shown in English instead
    outdated: int = 0  # segments of the source missing from the catalog (run update)
    pages: int = 0
    revision: str = ""
    findings: tuple[Finding, ...] = ()
    approved: int = 0  # entries shown that were approved unchanged from a draft or machine text


@dataclass(frozen=True)
class Source:
    """What every language of one render reads alike: the document and the glossary, read once
    a render (by ``publish.parallel``), not once a language; ``stamp``: the digests of the files
    the document was read from, so that a language whose fingerprint sees other bytes (a source
    saved during the render) reads it again rather than record old text under a new fingerprint."""

    doc: Document
    terms: glossary.Glossary | None
    stamp: bytes
    images: tuple[Path, ...]

    def is_current(self, config: Config) -> bool:
        return state.source_stamp(config, self.images) == self.stamp


def read_source(config: Config) -> Source:
    before = state.source_stamp(config, ())  # before the read: a save during it shows as a change
    doc = document.read(config)
    images = tuple(image.path for image in doc.images.shown.values())
    return Source(doc, checks.load_glossary(config), before + state.digests(images), images)


@writes_project
def render_language(
    config: Config,
    code: str,
    formats: tuple[str, ...] = ("pdf",),
    *,
    force: bool = False,
    final: bool = False,
    source: Source | None = None,
) -> RenderResult:
    """Write ``output/<code>/<slug>-<code>.<fmt>`` for each format; skip what is up to date.

    ``source``: the document and glossary as this render read them (read here where absent)."""
    slug = document.slug(config)
    paths = tuple(state.output_path(config, code, slug, fmt) for fmt in formats)
    revision = state.revision(config, code)
    fps = state.fingerprints(config, code, formats)
    current = not force and all(state.is_current(config, code, slug, f, fp) for f, fp in fps.items())
    if current and not final:
        return RenderResult(code, paths, True, 0, revision=revision)
    if source is not None and not source.is_current(config):
        source = None
    doc = source.doc if source else document.read(config)
    tr = lookup.load(config, code)
    outdated = lookup.missing_segments(doc, config, tr)
    if final:
        _require_reviewed(config, doc, tr)
    terms = source.terms if source else checks.load_glossary(config)
    findings = () if tr.is_source else tuple(checks.check_catalog(config, code, terms, doc, tr.catalog))
    if final:
        _require_clean(config, list(findings))
    approved = tr.count(State.APPROVED)
    if current:  # --final checked it; nothing to write
        return RenderResult(
            code, paths, True, 0, outdated=outdated, revision=revision, findings=findings, approved=approved
        )
    pages = 0
    for fmt, path in zip(formats, paths, strict=True):
        if fmt == "pdf":
            data, pages = output.pdf_bytes(config, doc, tr, revision)
        else:
            data = output.html_bytes(config, doc, tr, revision)
        atomic_write(path, data)
        state.record(config, code, fmt, fps[fmt])
    return RenderResult(
        code,
        paths,
        False,
        tr.unreviewed(),
        tuple(tr.fallbacks()),
        outdated,
        pages,
        revision,
        findings,
        approved,
    )


def _require_reviewed(config: Config, doc: Document, tr: lookup.Translation) -> None:
    if tr.is_source:
        return
    for seg in segments(doc, config.root):
        use = tr.use(seg.msgid, seg.context)
        why = "" if use.state.published else f"entry is {use.state.value}, not reviewed"
        if use.state is State.APPROVED and config.final_refuses_approved:
            why = "entry is approved unchanged from a draft or machine text (final-refuses-approved is set)"
        if why:
            raise RenderError(
                f"--final: {why}: {po.short(seg.msgid, 50)!r}",
                tr.catalog_path,
                tr.line_of(seg.msgid, seg.context),
            )


def _require_clean(config: Config, findings: list[Finding]) -> None:
    errors = [f for f in findings if f.severity == ERROR]
    if errors:
        raise RenderError(f"--final: {len(errors)} check errors, the first: {errors[0].format(config.root)}")


def check_final(config: Config, codes: list[str], source: Source | None = None) -> None:
    """Refuse, before anything is written, unless every language is reviewed and clean."""
    source = source or read_source(config)
    doc, terms = source.doc, source.terms
    for code in codes:
        _require_reviewed(config, doc, lookup.load(config, code))
        if code != languages.SOURCE_CODE:
            _require_clean(config, checks.check_catalog(config, code, terms, doc))
