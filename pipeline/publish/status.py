"""The status stage: per language, how much is reviewed, and whether its documents are up to date."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..catalogs import marks, po
from ..catalogs.marks import State
from ..config import Config
from ..source import document, markup
from . import state


@dataclass(frozen=True)
class LanguageStatus:
    language: str
    reviewed: int
    unreviewed: int
    stale: int
    untranslated: int
    words_total: int
    words_reviewed: int
    pdf_up_to_date: bool
    catalog_up_to_date: bool  # every segment of the template is in the catalog

    @property
    def percent_reviewed(self) -> float:
        return 100.0 * self.words_reviewed / self.words_total if self.words_total else 100.0

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "percent_reviewed": round(self.percent_reviewed, 1)}


_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> int:
    """The words a reader sees (not link targets, URLs or footnote references)."""
    return len(_WORD.findall(markup.visible_text(text)))


def language_status(
    config: Config, code: str, template_keys: set[tuple[str | None, str]], slug: str, sig_path: Path
) -> LanguageStatus:
    catalog = po.read(config.catalog_path(code), code)
    counts = dict.fromkeys(State, 0)
    total = done = 0
    keys = set()
    for entry in catalog.entries():
        keys.add((entry.msgctxt, entry.msgid))
        st = marks.state(entry)
        counts[st] += 1
        n = words(entry.msgid)
        total += n
        if st is State.REVIEWED:
            done += n
    fp = state.fingerprint(config, code, sig_path, state.options(config, "pdf"))
    return LanguageStatus(
        code,
        counts[State.REVIEWED],
        counts[State.UNREVIEWED],
        counts[State.STALE],
        counts[State.UNTRANSLATED],
        total,
        done,
        state.is_current(config, code, slug, "pdf", fp),
        template_keys <= keys,
    )


def status(config: Config, codes: list[str] | tuple[str, ...]) -> list[LanguageStatus]:
    doc = document.read(config)
    template = po.read(config.template_path, None).po if config.template_path.exists() else None
    keys = {(e.msgctxt, e.msgid) for e in template} if template is not None else set()
    return [language_status(config, code, keys, doc.slug, doc.signatories.path) for code in codes]
