"""Render: one language's letter -> HTML -> PDF (WeasyPrint), locked down and checked."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import catalogs, check, document, fingerprint, fonts, html, languages, translation
from .catalogs import State
from .config import Config
from .errors import RenderError
from .files import atomic_write
from .outputs import is_current, options, output_path, record


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
    findings: tuple[check.Finding, ...] = ()


def check_glyphs(page_html: str, tr: translation.Translation) -> None:
    """Refuse text the typeface cannot draw: fontconfig would silently use another face."""
    missing = fonts.missing(html.visible_text(page_html))
    if not missing:
        return
    char = missing[0]
    for (context, msgid), use in tr.used.items():
        if char in use.text:
            raise RenderError(
                f"the typeface has no glyph for {char!r} (U+{ord(char):04X}); "
                f"entry {catalogs.short(msgid, 50)!r}",
                tr.catalog_path,
                tr.line_of(msgid, context),
            )
    raise RenderError(f"the typeface has no glyph for {char!r} (U+{ord(char):04X})")


def _font_urls() -> list[tuple[str, int, bool]]:
    return [(face.path.as_uri(), face.weight, face.italic) for face in fonts.faces()]


def _web_fonts(text: str) -> list[tuple[str, int, bool]]:
    """The four faces cut down to the page's characters, inlined: no paths, no 4 MB.

    Subsetting costs about 0.1 s a face, so the result is kept in the font cache
    under a hash of the characters: the next render of the same text reuses it.
    """
    chars = "".join(sorted(set(text)))
    key = hashlib.sha256((fonts.font_version() + chars).encode()).hexdigest()[:20]
    folder = fonts.cache_dir() / "web"
    result = []
    for face in fonts.faces():
        cached = folder / f"{key}-{face.path.stem}.woff"
        if not cached.exists():
            atomic_write(cached, _subset(face.path, chars))
        uri = "data:font/woff;base64," + base64.b64encode(cached.read_bytes()).decode()
        result.append((uri, face.weight, face.italic))
    return result


def _subset(path: Path, chars: str) -> bytes:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    # Default OpenType features (kerning, ligatures, marks) are all the page uses.
    options.hinting = False
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


def fingerprints(config: Config, code: str, formats: tuple[str, ...]) -> dict[str, str]:
    """Per format, the fingerprint of everything its document is made from."""
    sig = document.signatories_path(config)
    return {fmt: fingerprint.fingerprint(config, code, sig, options(config, fmt)) for fmt in formats}


def revision_of(config: Config, code: str) -> str:
    """The short identifier a language's documents show: the same on its PDF, HTML and the index."""
    return fingerprint.revision(fingerprint.fingerprint(config, code, document.signatories_path(config), {}))


def _current(config: Config, code: str, slug: str, fps: dict[str, str]) -> bool:
    return all(is_current(config, code, slug, fmt, fp) for fmt, fp in fps.items())


def up_to_date(config: Config, code: str, formats: tuple[str, ...]) -> bool:
    """Whether every document of ``code`` was made from today's inputs (reads no catalog)."""
    return _current(config, code, document.slug(config), fingerprints(config, code, formats))


def render_language(
    config: Config,
    code: str,
    formats: tuple[str, ...] = ("pdf",),
    *,
    force: bool = False,
    final: bool = False,
) -> RenderResult:
    """Write ``output/<code>/<slug>-<code>.<fmt>`` for each format; skip what is up to date."""
    slug = document.slug(config)
    paths = tuple(output_path(config, code, slug, fmt) for fmt in formats)
    revision = revision_of(config, code)
    fps = fingerprints(config, code, formats)
    current = not force and _current(config, code, slug, fps)
    if current and not final:
        return RenderResult(code, paths, True, 0, revision=revision)
    letter = document.read_letter(config)
    tr = translation.load(config, code)
    outdated = translation.missing_segments(letter, config, tr)
    if final:
        _require_final(config, letter, tr)
    findings = () if tr.is_source else tuple(check.check_catalog(config, code, check.load_glossary(config)))
    if final:
        errors = [f for f in findings if f.severity == check.ERROR]
        if errors:
            raise RenderError(
                f"--final: {len(errors)} check errors, the first: {errors[0].format(config.root)}"
            )
    if current:  # --final checked it; nothing to write
        return RenderResult(code, paths, True, 0, outdated=outdated, revision=revision, findings=findings)
    pages = 0
    for fmt, path in zip(formats, paths, strict=True):
        if fmt == "pdf":
            data, pages = pdf_bytes(config, letter, tr, revision)
        else:
            data = html_bytes(config, letter, tr, revision)
        atomic_write(path, data)
        record(config, code, fmt, fps[fmt])
    return RenderResult(
        code, paths, False, tr.unreviewed(), tuple(tr.fallbacks()), outdated, pages, revision, findings
    )


def pdf_bytes(
    config: Config, letter: document.Letter, tr: translation.Translation, revision: str
) -> tuple[bytes, int]:
    page = html.build_page(
        letter, tr, mode="pdf", revision=revision, organisation=config.organisation, fonts=_font_urls()
    )
    source = html.to_html(page)
    check_glyphs(source, tr)
    return write_pdf(source, config)


def html_bytes(config: Config, letter: document.Letter, tr: translation.Translation, revision: str) -> bytes:
    """The web page: the same document, with its fonts cut down to its own characters."""
    page = html.build_page(
        letter, tr, mode="html", revision=revision, organisation=config.organisation, fonts=[]
    )
    plain = html.to_html(page)
    check_glyphs(plain, tr)
    # Digits and "^" too: the browser draws list numbers and the footnotes' back links.
    page = dataclasses.replace(page, fonts=_web_fonts(html.visible_text(plain) + "0123456789^"))
    return html.to_html(page).encode("utf-8")


def _require_final(config: Config, letter: document.Letter, tr: translation.Translation) -> None:
    if tr.is_source:
        return
    from . import document as doc

    for seg in doc.segments(letter, config.root):
        use = tr.use(seg.msgid, seg.context)
        if use.state is not State.REVIEWED:
            raise RenderError(
                f"--final: entry is {use.state.value}, not reviewed: {catalogs.short(seg.msgid, 50)!r}",
                tr.catalog_path,
                tr.line_of(seg.msgid, seg.context),
            )


# -- WeasyPrint ----------------------------------------------------------------


def allowed_roots(config: Config) -> list[Path]:
    return [fonts.cache_dir().resolve(), html.TEMPLATES.resolve(), config.source_path.parent.resolve()]


def make_fetcher(roots: list[Path]) -> Any:
    """A URL fetcher for the project's own files only: no other file, no network."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class LockedFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            from urllib.parse import unquote, urlsplit

            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if any(path.is_relative_to(root) for root in roots) and path.is_file():
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(f"blocked resource {url[:200]}")

    return LockedFetcher(allowed_protocols=["file"], allow_redirects=False, fail_on_errors=True)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_errors() -> Iterator[_Collect]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def write_pdf(source: str, config: Config, variant: str | None = None) -> tuple[bytes, int]:
    """The PDF bytes for ``source`` HTML, and its page count."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    chosen = variant or config.pdf_variant
    variant = None if chosen == "none" else chosen
    with _weasyprint_errors() as errors:
        try:
            doc = weasyprint.HTML(
                string=source,
                base_url=html.TEMPLATES.as_uri() + "/",
                url_fetcher=make_fetcher(allowed_roots(config)),
            ).render()
            data = doc.write_pdf(pdf_variant=variant, pdf_tags=variant is None or None)
        except FatalURLFetchingError as exc:
            raise RenderError(f"refused to load a resource: {exc}") from None
    if errors.messages:
        raise RenderError("WeasyPrint: " + "; ".join(errors.messages[:3]))
    if data is None:  # pragma: no cover - write_pdf without a target returns bytes
        raise RenderError("WeasyPrint returned no PDF")
    return data, len(doc.pages)


def check_final(config: Config, codes: list[str]) -> None:
    """Refuse, before anything is written, unless every language is reviewed and clean."""
    letter = document.read_letter(config)
    terms = check.load_glossary(config)
    for code in codes:
        _require_final(config, letter, translation.load(config, code))
        if code != languages.SOURCE_CODE:
            errors = [f for f in check.check_catalog(config, code, terms) if f.severity == check.ERROR]
            if errors:
                raise RenderError(
                    f"--final: {len(errors)} check errors, the first: {errors[0].format(config.root)}"
                )


def render(
    config: Config,
    codes: list[str],
    formats: tuple[str, ...] = ("pdf",),
    *,
    force: bool = False,
    final: bool = False,
) -> list[RenderResult]:
    """Render each language in turn (``publish`` renders many in parallel)."""
    if final:
        check_final(config, codes)
    return [render_language(config, code, formats, force=force, final=final) for code in codes]
