"""Images of the source: files of the project, beside the source, checked when it is read.

What may be shown is decided here once; a page shows any other image as its description in
brackets, and ``check`` reports it at its line. An image is written as a relative path
(``![A map](img/map.png)``) and resolved against the source's folder. Nothing else is an
image: an address on the web would let whoever serves it see each reader (and make the PDF
depend on the network), and a ``data:`` URL or an absolute path would hide what the document
holds. Only raster formats, known by their first bytes: an SVG is a program of its own.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it.token import Token

from ..errors import PipelineError, SourceError
from ..files import read_bytes

MAX_IMAGE_BYTES = 5 * 1024 * 1024
_FORMATS = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


@dataclass(frozen=True)
class Image:
    src: str  # as the source writes it
    path: Path
    mime: str

    def data_uri(self) -> str:
        """The image inlined, for a web page that loads nothing from anywhere."""
        data = read_bytes(self.path, "image", MAX_IMAGE_BYTES)
        return f"data:{self.mime};base64,{base64.b64encode(data).decode('ascii')}"


def _sources(tokens: list[Token]) -> Iterator[tuple[str, int | None]]:
    for tok in tokens:
        for child in tok.children or []:
            if child.type == "image":
                yield str(child.attrGet("src") or ""), tok.map[0] if tok.map else None


def _mime(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((mime for magic, mime in _FORMATS if data.startswith(magic)), None)


@dataclass(frozen=True)
class Images:
    shown: dict[str, Image]  # src as written -> the checked file
    refused: tuple[SourceError, ...]  # each image a page will not show, with why and where


def collect(tokens: list[Token], source: Path, inside: Callable[[Path], Path], line_offset: int) -> Images:
    """Every image of the body, checked: a relative path to a PNG, JPEG, GIF or WebP file of
    at most 5 MB inside the project (``inside`` refuses the rest, links included)."""
    shown: dict[str, Image] = {}
    refused: dict[str, SourceError] = {}
    for src, line in _sources(tokens):
        if src in shown or src in refused:
            continue
        number = line_offset + line + 1 if line is not None else None
        try:
            shown[src] = _image(src, source, inside, number)
        except SourceError as exc:
            refused[src] = exc
    return Images(shown, tuple(refused.values()))


def _image(src: str, source: Path, inside: Callable[[Path], Path], line: int | None) -> Image:
    parts = urlsplit(src)
    if not src or parts.scheme or parts.netloc or src.startswith(("/", "\\")) or parts.query:
        raise SourceError(
            f"image {src[:80]!r} is not shown: write a relative path to a file beside the source "
            "(an image from the web would tell its server who reads the document)",
            source,
            line,
        )
    path = source.parent / unquote(parts.path)
    try:
        data = read_bytes(inside(path), "image", MAX_IMAGE_BYTES)
    except PipelineError as exc:
        raise SourceError(f"image {src[:80]!r} is not shown: {exc.message}", source, line) from None
    mime = _mime(data)
    if mime is None:
        raise SourceError(f"image {src[:80]!r} is not shown: not a PNG, JPEG, GIF or WebP file", source, line)
    return Image(src, path.resolve(), mime)
