"""A language's document as bytes: the PDF, and the self-contained web page with its fonts inlined."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
from pathlib import Path

from .. import languages
from ..catalogs import po
from ..config import Config
from ..errors import RenderError
from ..files import atomic_write
from ..source.document import Document
from . import fonts, page
from .lookup import Translation
from .pdf import write_pdf


def check_glyphs(page_html: str, tr: Translation) -> None:
    """Refuse text the typeface cannot draw: fontconfig would silently use another face."""
    missing = fonts.missing(page.visible_text(page_html))
    if not missing:
        return
    char = missing[0]
    for (context, msgid), use in tr.used.items():
        if char in use.text:
            raise RenderError(
                f"the typeface has no glyph for {char!r} (U+{ord(char):04X}); entry {po.short(msgid, 50)!r}",
                tr.catalog_path,
                tr.line_of(msgid, context),
            )
    raise RenderError(f"the typeface has no glyph for {char!r} (U+{ord(char):04X})")


FontRule = tuple[str, str, int, bool]  # (family, url, weight, italic)


def _font_urls(page_html: str) -> list[FontRule]:
    """The faces a PDF declares, by file: only those its text and code need."""
    text, code = page.shown_text(page_html)
    return [(f.family, f.path.as_uri(), f.weight, f.italic) for f in fonts.needed(text, code)]


def _web_fonts(page_html: str) -> list[FontRule]:
    """The faces a web page needs, each cut down to the characters it draws there, inlined:
    no paths, no 4 MB.

    Subsetting costs about 0.1 s a face, so the result is kept in the font cache under a
    hash of the characters: the next render of the same text reuses it.
    """
    text, code = page.shown_text(page_html)
    text += " 0123456789^"  # the browser draws list numbers and the footnotes' back links
    folder = fonts.cache_dir() / "web"
    result = []
    for face in fonts.needed(text, code):
        chars = fonts.characters_of(face, text, code)
        key = hashlib.sha256((fonts.font_version() + face.path.name + chars).encode()).hexdigest()[:20]
        cached = folder / f"{key}-{face.path.stem}.woff"
        if not cached.exists():
            atomic_write(cached, _subset(face.path, chars))
        uri = "data:font/woff;base64," + base64.b64encode(cached.read_bytes()).decode()
        result.append((face.family, uri, face.weight, face.italic))
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


def pdf_bytes(config: Config, doc: Document, tr: Translation, revision: str) -> tuple[bytes, int]:
    built = page.build_page(
        doc, tr, mode="pdf", revision=revision, organisation=config.organisation, fonts=[]
    )
    plain = page.to_html(built)
    check_glyphs(plain, tr)
    source = page.to_html(dataclasses.replace(built, fonts=_font_urls(plain)))
    return write_pdf(source, config, files=[image.path for image in doc.images.shown.values()])


def html_bytes(config: Config, doc: Document, tr: Translation, revision: str) -> bytes:
    """The web page: the same document, with its fonts cut down to its own characters."""
    others = languages.protocol_order([languages.SOURCE_CODE, *config.languages])
    built = page.build_page(
        doc, tr, mode="html", revision=revision, organisation=config.organisation, fonts=[], others=others
    )
    plain = page.to_html(built)
    check_glyphs(plain, tr)
    built = dataclasses.replace(built, fonts=_web_fonts(plain))
    return page.to_html(built).encode("utf-8")
