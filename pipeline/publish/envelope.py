"""The JSON that ``check --json`` and ``status --json`` print: one envelope, one schema.

{"schema": 1, "command": …, "pipeline": version, "documents": [{"document", "domain",
"source", …, "languages": [{"language", "catalog", "revision", "error", …}]}]}. Paths are
relative to the project; an error is data in its language, so one bad catalog blanks nothing
else; every finding carries its entry (msgctxt and a hash of the msgid) besides its line.
"""

from __future__ import annotations

from typing import Any

from ..checks.catalog import CheckReport
from ..checks.findings import summary
from ..config import Config
from ..errors import PipelineError, relative
from ..version import __version__
from . import state
from .status import LanguageStatus

SCHEMA = 1


def _error(exc: PipelineError | None, config: Config) -> dict[str, Any] | None:
    if exc is None:
        return None
    return {
        "path": relative(exc.path, config.root) if exc.path else None,
        "line": exc.line,
        "message": exc.message,
    }


def _revision(config: Config, code: str) -> str | None:
    try:
        return state.revision(config, code)
    except PipelineError:
        return None


def _document(config: Config, languages: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "document": config.document_name,
        "domain": config.domain,
        "source": relative(config.source_path, config.root),
        **extra,
        "languages": languages,
    }


def _envelope(command: str, documents: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schema": SCHEMA, "command": command, "pipeline": __version__, "documents": documents}


def status(documents: list[tuple[Config, list[LanguageStatus]]]) -> dict[str, Any]:
    """``status --json``: every document asked for, each with its languages."""
    return _envelope("status", [_status(config, rows) for config, rows in documents])


def _status(config: Config, rows: list[LanguageStatus]) -> dict[str, Any]:
    languages = []
    for row in rows:
        data = row.as_dict(config.root) if row.error is None else {"catalog": relative(row.path, config.root)}
        languages.append(
            {
                "language": row.language,
                **data,
                "revision": _revision(config, row.language),
                "error": _error(row.error, config),
            }
        )
    return _document(config, languages)


def check(documents: list[tuple[Config, CheckReport]]) -> dict[str, Any]:
    """``check --json``: every document asked for, its source's findings and each language's."""
    return _envelope("check", [_check(config, report) for config, report in documents])


def _check(config: Config, report: CheckReport) -> dict[str, Any]:
    codes = [lang.language for lang in report.languages]
    counts = summary(report.findings, codes)
    languages = [
        {
            "language": lang.language,
            "catalog": relative(lang.path, config.root),
            "revision": _revision(config, lang.language),
            "error": _error(lang.error, config),
            "summary": counts[lang.language],
            "findings": [f.as_dict(config.root) for f in lang.findings],
        }
        for lang in report.languages
    ]
    source = {"findings": [f.as_dict(config.root) for f in report.source], "summary": counts["source"]}
    return _document(config, languages, source_check=source)
