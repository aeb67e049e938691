"""Findings: what a check reports, as data (path, line, severity, code, message)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import relative

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    severity: str  # "error" or "warning"
    code: str
    message: str
    language: str = ""

    def format(self, root: Path | None = None) -> str:
        return f"{relative(self.path, root)}:{self.line}: {self.severity} {self.code}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "path": str(self.path)}


def summary(findings: list[Finding], codes: list[str] | tuple[str, ...]) -> dict[str, dict[str, int]]:
    """Errors and warnings per language ("source" for the document itself)."""
    table = {key: {ERROR: 0, WARNING: 0} for key in ("source", *codes)}
    for finding in findings:
        table[finding.language or "source"][finding.severity] += 1
    return table
