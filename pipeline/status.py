"""Status: per language, how much is reviewed, and whether its documents are up to date."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from . import catalogs, document, fingerprint, outputs
from .catalogs import State
from .config import Config


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
    # Count the words a reader sees, not link targets.
    return len(_WORD.findall(re.sub(r"\]\([^)]*\)|<https?://[^>]*>", "]", text)))


def language_status(
    config: Config, code: str, template_keys: set[tuple[str | None, str]], slug: str, sig_path: Any
) -> LanguageStatus:
    catalog = catalogs.read(config.catalog_path(code), code)
    counts = dict.fromkeys(State, 0)
    total = done = 0
    keys = set()
    for entry in catalog.entries():
        keys.add((entry.msgctxt, entry.msgid))
        st = catalogs.state(entry)
        counts[st] += 1
        n = words(entry.msgid)
        total += n
        if st is State.REVIEWED:
            done += n
    fp = fingerprint.fingerprint(config, code, sig_path, outputs.options(config, "pdf"))
    return LanguageStatus(
        code,
        counts[State.REVIEWED],
        counts[State.UNREVIEWED],
        counts[State.STALE],
        counts[State.UNTRANSLATED],
        total,
        done,
        outputs.is_current(config, code, slug, "pdf", fp),
        template_keys <= keys,
    )


def status(config: Config, codes: list[str] | tuple[str, ...]) -> list[LanguageStatus]:
    letter = document.read_letter(config)
    template = catalogs.read(config.template_path, None).po if config.template_path.exists() else None
    keys = {(e.msgctxt, e.msgid) for e in template} if template is not None else set()
    return [language_status(config, code, keys, letter.slug, letter.signatories.path) for code in codes]
