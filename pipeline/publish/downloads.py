"""The download page: output/index.html and output/SHA256SUMS, for every language."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .. import languages
from ..catalogs import po
from ..config import Config, load_documents
from ..errors import ConfigError, FileError, PipelineError
from ..files import read_text, write_if_changed
from ..source import document, markup
from ..typeset import page as pages
from . import state, status


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


def _state(st: status.LanguageStatus) -> tuple[str, bool]:
    """What a reader is told of a language: reviewed, approved unchanged, or a draft."""
    if st.error is not None:
        return "catalog unreadable", False
    reviewed = st.unreviewed + st.stale + st.untranslated == 0
    shown = "reviewed" if reviewed else f"draft, {st.percent_reviewed:.0f} % reviewed"
    if st.approved:
        shown += f"; {st.approved} entries approved unchanged from a draft or machine text"
    return shown, reviewed


def rows(config: Config) -> list[Row]:
    slug = document.slug(config)
    codes = _codes(config)
    signatories = document.signatories_path(config)
    template = config.template_path
    keys = {(e.msgctxt, e.msgid) for e in po.read(template, None).po} if template.exists() else set()
    result = []
    for code in codes:
        autonym, english = languages.autonym(code), languages.english_name(code)
        if code == languages.SOURCE_CODE:
            shown, reviewed = "original", True
        elif config.catalog_path(code).exists():
            shown, reviewed = _state(status.language_status(config, code, keys, slug, signatories))
        else:
            shown, reviewed = "not translated yet", False
        files = []
        for fmt in state.FORMATS:
            path = state.output_path(config, code, slug, fmt)
            if path.exists():
                rel = path.relative_to(config.output_path).as_posix()
                files.append((fmt, rel, path.stat().st_size, sha256(path)))
        result.append(
            Row(
                code,
                autonym,
                english,
                shown,
                reviewed,
                files,
                state.revision(config, code),
            )
        )
    return result


def _codes(config: Config) -> list[str]:
    """English, the original, first; then every language in the EU's order."""
    return [languages.SOURCE_CODE, *languages.protocol_order(list(config.languages))]


def _stamp(path: Path) -> str | None:
    try:
        return read_text(path, "index stamp", 1024)
    except FileError:
        return None


@dataclass(frozen=True)
class Section:
    """One document on the page: its title and every language's row."""

    name: str
    title: str
    rows: list[Row]


def documents(config: Config) -> list[Config]:
    """The project's documents, ``config`` standing for its own (a caller's settings win)."""
    try:
        found = load_documents(config.root)
    except PipelineError:
        return [config]
    if all(c.document_name != config.document_name for c in found):
        return [config]
    mine = [config if c.document_name == config.document_name else c for c in found]
    distinct_slugs(mine)
    return mine


def distinct_slugs(configs: list[Config]) -> None:
    """Two documents with one slug would write the same files: refused, naming both."""
    seen: dict[str, Config] = {}
    for config in configs:
        slug = document.slug(config)
        if slug in seen:
            other = seen[slug]
            raise ConfigError(
                f"documents {other.document_name!r} and {config.document_name!r} have the same slug "
                f"{slug!r}: their files would overwrite each other; give one another slug",
                config.source_path,
            )
        seen[slug] = config


def _title(config: Config) -> str:
    return markup.visible_text(document.read(config).title, urls=True)


def write(config: Config) -> tuple[Path, Path]:
    """Write the project's page (a section per document) and the checksums of every file it
    lists; with nothing new, read no catalog at all."""
    configs = documents(config)
    index, sums = state.index_paths(config)
    stamp = state.index_stamp_path(config)
    template = pages.TEMPLATES / "index.html"
    assets = b"".join((pages.TEMPLATES / name).read_bytes() for name in ("index.css", "index.js"))
    key = (
        "".join(state.index_key(c, _codes(c), template) for c in configs) + hashlib.sha256(assets).hexdigest()
    )
    if index.exists() and sums.exists() and _stamp(stamp) == key:
        return index, sums
    sections = [Section(c.document_name, _title(c), rows(c)) for c in configs]
    style = (pages.TEMPLATES / "index.css").read_text(encoding="utf-8")
    script = (pages.TEMPLATES / "index.js").read_text(encoding="utf-8")
    html = (
        pages.environment()
        .get_template("index.html")
        .render(
            style=Markup(style),
            script=Markup(script),
            csp=pages.content_policy(style, (script,)),
            sections=sections,
            title=sections[0].title if len(sections) == 1 else config.organisation,
            size=_size,
            organisation=config.organisation,
        )
    )
    page = html.encode("utf-8")
    write_if_changed(index, page)
    lines = [f"{digest}  {rel}\n" for sec in sections for row in sec.rows for _, rel, _, digest in row.files]
    lines.append(f"{hashlib.sha256(page).hexdigest()}  {index.name}\n")
    write_if_changed(sums, "".join(lines).encode("utf-8"))
    write_if_changed(stamp, key.encode())
    return index, sums
