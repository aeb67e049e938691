"""WeasyPrint, locked down: HTML to PDF with a fetcher for the project's own files only."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import RenderError
from . import fontconfig, fonts, hyphenation
from .page import TEMPLATES


def allowed_roots(config: Config) -> list[Path]:
    """The fonts (the fallbacks file by file) and templates; a document's images are added
    one by one (see ``write_pdf``)."""
    return [
        fonts.ttf_dir().resolve(),
        TEMPLATES.resolve(),
        *(f.path.resolve() for f in fonts.fallback_faces()),
    ]


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
    """WeasyPrint's errors, and the one warning that means a wrong page: a character drawn as
    the empty box (".notdef glyph rendered for Unicode string unsupported by fonts")."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.ERROR or message.startswith(".notdef glyph"):
            self.messages.append(message)


@contextmanager
def _weasyprint_errors() -> Iterator[_Collect]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def write_pdf(
    source: str, config: Config, variant: str | None = None, files: list[Path] | tuple[Path, ...] = ()
) -> tuple[bytes, int]:
    """The PDF bytes for ``source`` HTML, and its page count; ``files``: the only other files
    it may load (the document's checked images)."""
    fontconfig.isolate()  # before WeasyPrint's first import, and for every worker it forks
    hyphenation.register()  # Finnish and Irish, in this process (WeasyPrint asks Pyphen)
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    fontconfig.assert_isolated()

    chosen = variant or config.pdf_variant
    variant = None if chosen == "none" else chosen
    with _weasyprint_errors() as errors:
        try:
            doc = weasyprint.HTML(
                string=source,
                base_url=TEMPLATES.as_uri() + "/",
                url_fetcher=make_fetcher([*allowed_roots(config), *(f.resolve() for f in files)]),
            ).render()
            data = doc.write_pdf(pdf_variant=variant, pdf_tags=variant is None or None)
        except FatalURLFetchingError as exc:
            raise RenderError(f"refused to load a resource: {exc}") from None
    if errors.messages:
        raise RenderError("WeasyPrint: " + "; ".join(errors.messages[:3]))
    if data is None:  # pragma: no cover - write_pdf without a target returns bytes
        raise RenderError("WeasyPrint returned no PDF")
    if variant is not None and variant.startswith("pdf/ua"):
        from . import tagging  # pikepdf: only where a PDF is made

        data = tagging.margins_as_artifacts(data)  # what WeasyPrint 70 tags as text
    return data, len(doc.pages)
