"""Extract: the source letter and signatories -> ``locale/<domain>.pot``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib

from . import __version__, catalogs, document
from .config import Config


@dataclass(frozen=True)
class ExtractResult:
    path: Path
    entries: int
    written: bool


def template(config: Config, segments: list[document.Segment], title: str) -> polib.POFile:
    """The .pot for ``segments``: header plus one entry per segment, in document order."""
    pot = polib.POFile(wrapwidth=79)
    pot.header = catalogs.header_comment(title, None)
    pot.metadata = {
        "Project-Id-Version": f"{config.organisation} {config.domain}",
        "Report-Msgid-Bugs-To": config.bugs_address,
        "POT-Creation-Date": "",
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"pipeline {__version__}",
    }
    for seg in segments:
        pot.append(entry_for(seg))
    return pot


def entry_for(seg: document.Segment) -> polib.POEntry:
    return polib.POEntry(
        msgid=seg.msgid,
        msgstr="",
        msgctxt=seg.context,
        comment=seg.comment,
        occurrences=[(path, str(line)) for path, line in seg.references],
        flags=["python-brace-format"] if seg.brace_format else [],
    )


def extract(config: Config) -> ExtractResult:
    """Write the template; an unchanged source rewrites nothing."""
    letter = document.read_letter(config)
    segments = document.segments(letter, config.root)
    path = config.template_path
    catalog = catalogs.read(path, None) if path.exists() else catalogs.Catalog(path, polib.POFile(), None)
    catalog.po = template(config, segments, letter.title)
    written = catalogs.save(catalog, "POT-Creation-Date")
    return ExtractResult(path, len(segments), written)
