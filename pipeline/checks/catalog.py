"""The check stage: every finding of the source and of each language's catalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import languages
from ..catalogs import glossary, marks, po
from ..config import Config
from ..errors import PipelineError
from ..source import document
from . import accept, catalogwide
from .entry import check_entry
from .findings import ACCEPTED, ERROR, WARNING, Finding
from .source import check_source


def load_glossary(config: Config) -> glossary.Glossary | None:
    return (
        glossary.load(config.glossary_path, config.glossary_forms_path)
        if config.glossary_path.exists()
        else None
    )


def check_catalog(
    config: Config,
    code: str,
    terms: glossary.Glossary | None,
    doc: document.Document | None = None,
    catalog: po.Catalog | None = None,
) -> list[Finding]:
    """Findings for one language's catalog (``doc``, ``catalog``: the source and the catalog,
    where they are read already)."""
    path = config.catalog_path(code)
    catalog = po.read(path, code) if catalog is None else catalog
    findings = [
        Finding(path, line, WARNING, kind, message, code) for line, kind, message in _header(catalog, code)
    ]
    ids = frozenset((doc or document.read(config)).headings)
    for entry in catalog.entries():
        key = marks.digest(entry.msgid)
        taken = accept.accepted(entry)
        for severity, kind, message in check_entry(code, entry, terms, ids):
            hint = "" if kind in accept.NEVER else accept.line(kind, entry)
            if kind in taken:
                severity, hint = ACCEPTED, ""
            found = Finding(path, entry.linenum, severity, kind, message, code, entry.msgctxt, key, hint)
            findings.append(found)
    return findings + catalogwide.findings(config, code, catalog)


def _header(catalog: po.Catalog, code: str) -> list[tuple[int, str, str]]:
    found = []
    expected = languages.get(code).plural_forms
    if catalog.po.metadata.get("Plural-Forms", "").replace(" ", "") != expected.replace(" ", ""):
        found.append((1, "plural-forms", f"Plural-Forms differs from Weblate's: {expected}"))
    for name in ("Last-Translator", "Language-Team"):
        value = catalog.po.metadata.get(name, "")
        if "FULL NAME" in value or "EMAIL@ADDRESS" in value or "LL@li.org" in value:
            message = f"{name} is still a template placeholder ({value!r}): your editor fills it in"
            found.append((1, "header", message))
    return found


def check(config: Config, codes: list[str] | tuple[str, ...]) -> list[Finding]:
    """Findings for the source and for each language in ``codes``; errors and warnings are data."""
    terms = load_glossary(config)
    doc = document.read(config)
    findings = check_source(config, doc)
    for code in codes:
        findings += check_catalog(config, code, terms, doc)
    return findings


@dataclass(frozen=True)
class LanguageCheck:
    language: str
    path: Path
    findings: list[Finding] = field(default_factory=list)
    error: PipelineError | None = None  # the catalog could not be read: the others are still checked


@dataclass(frozen=True)
class CheckReport:
    source: list[Finding]
    languages: list[LanguageCheck]

    @property
    def findings(self) -> list[Finding]:
        return self.source + [f for lang in self.languages for f in lang.findings]

    @property
    def failed(self) -> bool:
        return any(lang.error for lang in self.languages) or any(f.severity == ERROR for f in self.findings)


def check_each(config: Config, codes: list[str] | tuple[str, ...]) -> CheckReport:
    """``check``, with a catalog that cannot be read reported in its language, not raised."""
    terms = load_glossary(config)
    doc = document.read(config)  # once: a source that cannot be read stops the check
    results = []
    for code in codes:
        try:
            found = check_catalog(config, code, terms, doc)
            results.append(LanguageCheck(code, config.catalog_path(code), found))
        except PipelineError as exc:
            results.append(LanguageCheck(code, exc.path or Path(), error=exc))
    return CheckReport(check_source(config, doc), results)
