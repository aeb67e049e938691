"""The status stage: per language, how much is reviewed, and whether its documents are up to date."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..catalogs import marks, po
from ..catalogs.marks import State
from ..config import Config
from ..errors import PipelineError, relative
from ..source import document, markup
from . import state


@dataclass(frozen=True)
class LanguageStatus:
    language: str
    path: Path
    reviewed: int = 0  # edited by a person, fuzzy cleared
    approved: int = 0  # fuzzy cleared on a draft or machine text nobody changed
    unreviewed: int = 0
    stale: int = 0
    untranslated: int = 0
    words_total: int = 0
    words_reviewed: int = 0  # in reviewed and approved entries
    words_approved: int = 0
    pdf_up_to_date: bool = False
    catalog_up_to_date: bool = False  # every segment of the template is in the catalog
    error: PipelineError | None = None  # the catalog could not be read: the others still count

    @property
    def percent_reviewed(self) -> float:
        return 100.0 * self.words_reviewed / self.words_total if self.words_total else 100.0

    def as_dict(self, root: Path) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k not in ("path", "error")}
        return {
            **data,
            "catalog": relative(self.path, root),
            "percent_reviewed": round(self.percent_reviewed, 1),
        }


_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> int:
    """The words a reader sees (not link targets, URLs or footnote references)."""
    return len(_WORD.findall(markup.visible_text(text)))


def language_status(
    config: Config, code: str, template_keys: set[tuple[str | None, str]], slug: str, sig_path: Path
) -> LanguageStatus:
    path = config.catalog_path(code)
    try:
        catalog = po.read(path, code)
    except PipelineError as exc:
        return LanguageStatus(code, path, error=exc)
    counts = dict.fromkeys(State, 0)
    total = done = approved = 0
    keys = set()
    for entry in catalog.entries():
        keys.add((entry.msgctxt, entry.msgid))
        st = marks.state(entry)
        counts[st] += 1
        n = words(entry.msgid)
        total += n
        done += n if st.published else 0
        approved += n if st is State.APPROVED else 0
    fp = state.fingerprint(config, code, sig_path, state.options(config, "pdf"))
    return LanguageStatus(
        code,
        path,
        counts[State.REVIEWED],
        counts[State.APPROVED],
        counts[State.UNREVIEWED],
        counts[State.STALE],
        counts[State.UNTRANSLATED],
        total,
        done,
        approved,
        state.is_current(config, code, slug, "pdf", fp),
        template_keys <= keys,
    )


def status(config: Config, codes: list[str] | tuple[str, ...]) -> list[LanguageStatus]:
    """Per language; a catalog that cannot be read is reported in its row, not raised."""
    doc = document.read(config)
    template = po.read(config.template_path, None).po if config.template_path.exists() else None
    keys = {(e.msgctxt, e.msgid) for e in template} if template is not None else set()
    return [language_status(config, code, keys, doc.slug, doc.signatories.path) for code in codes]
