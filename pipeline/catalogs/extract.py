"""Extract: the source document and signatories -> ``locale/<domain>.pot``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polib

from ..config import Config
from ..files import writes_project
from ..source import document
from ..source.segments import Segment, segments
from ..version import __version__
from . import po


@dataclass(frozen=True)
class ExtractResult:
    path: Path
    entries: int
    written: bool


def template(config: Config, found: list[Segment], title: str) -> polib.POFile:
    """The .pot for ``segments``: header plus one entry per segment, in document order."""
    pot = polib.POFile(wrapwidth=79)
    pot.header = po.header_comment(title, None)
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
    for seg in found:
        pot.append(entry_for(seg))
    return pot


def entry_for(seg: Segment) -> polib.POEntry:
    return polib.POEntry(
        msgid=seg.msgid,
        msgstr="",
        msgctxt=seg.context,
        comment=seg.comment,
        occurrences=[(path, str(line)) for path, line in seg.references],
        flags=["python-brace-format"] if seg.brace_format else [],
    )


@writes_project
def extract(config: Config) -> ExtractResult:
    """Write the template; an unchanged source rewrites nothing."""
    doc = document.read(config)
    found = segments(doc, config.root)
    path = config.template_path
    catalog = po.read(path, None) if path.exists() else po.Catalog(path, polib.POFile(), None)
    catalog.po = template(config, found, doc.title)
    written = po.save(catalog, "POT-Creation-Date")
    return ExtractResult(path, len(found), written)
