"""Findings: what a check reports, as data (path, line, severity, code, message)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import relative

ERROR = "error"
WARNING = "warning"
ACCEPTED = "accepted"  # a finding a reviewer accepted in the .po (checks.accept)


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    severity: str  # "error", "warning" or "accepted"
    code: str
    message: str
    language: str = ""
    context: str | None = None  # the entry: its msgctxt and a hash of its msgid (lines shift)
    msgid_hash: str = ""
    accept: str = ""  # the translator comment that would accept it ("" where nothing can)

    def format(self, root: Path | None = None) -> str:
        return f"{relative(self.path, root)}:{self.line}: {self.severity} {self.code}: {self.message}"

    def as_dict(self, root: Path | None = None) -> dict[str, Any]:
        data = asdict(self)
        entry = {"msgctxt": data.pop("context"), "msgid_hash": data.pop("msgid_hash")}
        return {**data, "path": relative(self.path, root), "entry": entry if entry["msgid_hash"] else None}


def summary(findings: list[Finding], codes: list[str] | tuple[str, ...]) -> dict[str, dict[str, int]]:
    """Errors and warnings per language ("source" for the document itself)."""
    table = {key: {ERROR: 0, WARNING: 0, ACCEPTED: 0} for key in ("source", *codes)}
    for finding in findings:
        table[finding.language or "source"][finding.severity] += 1
    return table
