"""The one exception family: every error names the file, and the line where known."""

from __future__ import annotations

import os
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

    def __reduce__(self) -> tuple[object, ...]:
        # As it was, path and line included, when a worker process hands it back.
        return (_restore, (type(self), dict(self.__dict__)))

    def describe(self, root: Path | None = None) -> str:
        """``path:line: message``, the path relative to ``root`` where it lies below it."""
        if self.path is None:
            return self.message
        where = relative(self.path, root)
        return f"{where}:{self.line}: {self.message}" if self.line else f"{where}: {self.message}"


def _restore(cls: type[PipelineError], state: dict[str, object]) -> PipelineError:
    error = cls.__new__(cls)
    Exception.__init__(error, state["message"])
    error.__dict__.update(state)
    return error


def relative(path: Path, root: Path | None) -> str:
    """``path`` relative to ``root`` where it lies below it (as written otherwise).

    Paths are compared as written, never resolved: a broken or looping link still gets named.
    """
    if root is not None:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
        if rel != ".." and not rel.startswith("../"):
            return Path(rel).as_posix()
    return str(path)


class ConfigError(PipelineError):
    """``[tool.pipeline]`` in pyproject.toml is wrong."""


class SourceError(PipelineError):
    """The source document or the signatories file is wrong."""


class CatalogError(PipelineError):
    """A .po/.pot file cannot be read or written."""


class NoCatalogError(CatalogError):
    """A language has no catalog yet."""

    def __init__(self, code: str, path: Path):
        super().__init__(f"no catalog for {code}: run `pipeline update --lang {code}` first", path)
        self.code = code


class ChangedMeanwhile(CatalogError):
    """Someone saved the file after the command read it: their version is kept."""


class GlossaryError(PipelineError):
    """The glossary files are malformed."""


class RenderError(PipelineError):
    """A document could not be rendered (unsafe or unrenderable input, missing glyph)."""


class TranslateError(PipelineError):
    """Machine translation failed or was refused."""


class FileError(PipelineError):
    """A file or folder could not be read or written (missing, a folder, no permission, disk full)."""


class MemoryFileError(PipelineError):
    """A translation memory file (TMX, PO compendium) that cannot be read."""
