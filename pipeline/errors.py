"""The one exception family: every error names the file, and the line where known."""

from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """An error a coordinator can act on: ``path:line: message``."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        return self.describe()

    def describe(self, root: Path | None = None) -> str:
        """``path:line: message``, the path relative to ``root`` where it lies below it."""
        if self.path is None:
            return self.message
        path = self.path
        if root is not None and path.resolve().is_relative_to(root.resolve()):
            path = path.resolve().relative_to(root.resolve())
        where = f"{path}:{self.line}: " if self.line else f"{path}: "
        return where + self.message


class ConfigError(PipelineError):
    """``[tool.pipeline]`` in pyproject.toml is wrong."""


class SourceError(PipelineError):
    """The source letter or the signatories file is wrong."""


class CatalogError(PipelineError):
    """A .po/.pot file cannot be read or written."""


class RenderError(PipelineError):
    """A document could not be rendered (unsafe or unrenderable input, missing glyph)."""


class TranslateError(PipelineError):
    """Machine translation failed or was refused."""
