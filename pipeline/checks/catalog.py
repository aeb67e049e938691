"""The check stage: every finding of the source and of each language's catalog."""

from __future__ import annotations

from .. import languages
from ..catalogs import glossary, po
from ..config import Config
from .entry import check_entry
from .findings import WARNING, Finding
from .source import check_source


def load_glossary(config: Config) -> glossary.Glossary | None:
    return glossary.load(config.glossary_path) if config.glossary_path.exists() else None


def check_catalog(config: Config, code: str, terms: glossary.Glossary | None) -> list[Finding]:
    path = config.catalog_path(code)
    catalog = po.read(path, code)
    findings = []
    expected = languages.get(code).plural_forms
    if catalog.po.metadata.get("Plural-Forms", "").replace(" ", "") != expected.replace(" ", ""):
        message = f"Plural-Forms differs from Weblate's: {expected}"
        findings.append(Finding(path, 1, WARNING, "plural-forms", message, code))
    for entry in catalog.entries():
        for severity, kind, message in check_entry(code, entry, terms):
            findings.append(Finding(path, entry.linenum, severity, kind, message, code))
    return findings


def check(config: Config, codes: list[str] | tuple[str, ...]) -> list[Finding]:
    """Findings for the source and for each language in ``codes``; errors and warnings are data."""
    terms = load_glossary(config)
    findings = check_source(config)
    for code in codes:
        findings += check_catalog(config, code, terms)
    return findings
