"""Files: reads and atomic writes that turn every OS failure into an error naming the path."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import FileError


def _reason(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or type(exc).__name__


def read_bytes(path: Path, what: str = "file") -> bytes:
    """The bytes of ``path``; a missing, unreadable or folder path is a FileError naming it."""
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise FileError(f"{what} not found", path) from exc
    except OSError as exc:
        raise FileError(f"cannot read the {what}: {_reason(exc)}", path) from exc


def read_text(path: Path, what: str = "file") -> str:
    """The UTF-8 text of ``path`` (a BOM dropped, CRLF read as LF)."""
    data = read_bytes(path, what)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileError(f"not valid UTF-8 (save the {what} as UTF-8)", path, line) from exc
    return text.replace("\r\n", "\n")


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    try:
        _atomic_write(path, data)
    except OSError as exc:
        raise FileError(f"cannot write: {_reason(exc)}", path) from exc


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically write ``data`` unless the file already holds exactly it."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise FileError(f"cannot read: {_reason(exc)}", path) from exc
    atomic_write(path, data)
    return True
