"""The download page: output/index.html and output/SHA256SUMS, for every language."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from babel import Locale

from . import document, html, languages, outputs, render, status
from .config import Config
from .files import write_if_changed


@dataclass(frozen=True)
class Row:
    code: str
    autonym: str
    english: str
    state: str
    reviewed: bool
    files: list[tuple[str, str, int, str]]  # (format, relative path, size, sha256)
    revision: str


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def rows(config: Config) -> list[Row]:
    slug = document.slug(config)
    codes = languages.protocol_order([languages.SOURCE_CODE, *config.languages])
    signatories = document.signatories_path(config)
    template = config.template_path
    keys = set()
    if template.exists():
        from . import catalogs

        keys = {(e.msgctxt, e.msgid) for e in catalogs.read(template, None).po}
    result = []
    for code in codes:
        lang = languages.get(code)
        locale = Locale.parse(lang.babel)
        autonym = str(locale.get_display_name(locale) if code != "en" else locale.get_language_name(locale))
        english = str(locale.get_language_name("en"))
        if code == languages.SOURCE_CODE:
            state, reviewed = "original", True
        elif config.catalog_path(code).exists():
            st = status.language_status(config, code, keys, slug, signatories)
            reviewed = st.unreviewed + st.stale + st.untranslated == 0
            state = "reviewed" if reviewed else f"draft, {st.percent_reviewed:.0f} % reviewed"
        else:
            state, reviewed = "not translated yet", False
        files = []
        for fmt in outputs.FORMATS:
            path = outputs.output_path(config, code, slug, fmt)
            if path.exists():
                rel = path.relative_to(config.output_path).as_posix()
                files.append((fmt, rel, path.stat().st_size, sha256(path)))
        result.append(
            Row(
                code,
                autonym[:1].upper() + autonym[1:],
                english,
                state,
                reviewed,
                files,
                render.revision_of(config, code),
            )
        )
    return result


def _inputs_key(config: Config) -> str:
    """What the page is made from: each language's revision and what was rendered from it."""
    digest = hashlib.sha256()
    for code in languages.protocol_order([languages.SOURCE_CODE, *config.languages]):
        digest.update(render.revision_of(config, code).encode())
        manifest = config.output_path / code / outputs.MANIFEST
        digest.update(manifest.read_bytes() if manifest.exists() else b"-")
    digest.update((html.TEMPLATES / "index.html").read_bytes())
    return digest.hexdigest()


def write(config: Config) -> tuple[Path, Path]:
    """Write the page and the checksums; with nothing new, read no catalog at all."""
    index = config.output_path / "index.html"
    sums = config.output_path / "SHA256SUMS"
    stamp = config.output_path / ".index.key"
    key = _inputs_key(config)
    if index.exists() and sums.exists() and stamp.exists() and stamp.read_text() == key:
        return index, sums
    table = rows(config)
    letter = document.read_letter(config)
    page = (
        html.environment()
        .get_template("index.html")
        .render(rows=table, title=html.plain_text(letter.title), size=_size, organisation=config.organisation)
    )
    write_if_changed(index, page.encode("utf-8"))
    lines = [f"{digest}  {rel}\n" for row in table for _, rel, _, digest in row.files]
    write_if_changed(sums, "".join(lines).encode("utf-8"))
    write_if_changed(stamp, key.encode())
    return index, sums
