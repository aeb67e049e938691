"""Files: reads and atomic writes that turn every OS failure into an error naming the path."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, wraps
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from .errors import ChangedMeanwhile, FileError


def _reason(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or type(exc).__name__


MAX_BYTES = 16 * 1024 * 1024  # no file the pipeline reads is near this: it bounds the ones that lie


def read_bytes(path: Path, what: str = "file", limit: int = MAX_BYTES) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes; anything else (missing,
    unreadable, a folder, a device such as /dev/zero, too large) is a FileError naming it."""
    try:
        # Non-blocking: opening a FIFO for reading would otherwise wait for a writer forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise FileError(f"the {what} is not a regular file: refused", path)
            if info.st_size > limit:
                size = f"{info.st_size / 2**20:.1f} MB"
                raise FileError(f"the {what} is {size}, over the {_size(limit)} a {what} may be", path)
            data = handle.read(limit + 1)  # never more, whatever the file claims to be
    except FileNotFoundError as exc:
        raise FileError(f"{what} not found", path) from exc
    except OSError as exc:
        raise FileError(f"cannot read the {what}: {_reason(exc)}", path) from exc
    if len(data) > limit:
        raise FileError(f"the {what} is over the {_size(limit)} a {what} may be", path)
    return data


def _size(n: int) -> str:
    return f"{n // 2**20} MB" if n >= 2**20 else f"{n // 1024} KB"


def read_text(path: Path, what: str = "file", limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of ``path`` (a BOM dropped, CRLF read as LF)."""
    data = read_bytes(path, what, limit)
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
    tmp = _temporary(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
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


# -- saving a file a person may be editing ------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@cache
def _renameat2() -> Any:
    libc = ctypes.CDLL(None, use_errno=True)
    function = getattr(libc, "renameat2", None)
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


def _exchange(a: Path, b: Path) -> bool:
    """Swap two files atomically (renameat2 with RENAME_EXCHANGE); False where the system cannot."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _temporary(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def replace_if_unchanged(path: Path, data: bytes, expected: bytes | None) -> None:
    """Write ``data`` to ``path`` unless someone changed the file since it held ``expected``
    (None: it did not exist). No moment exists in which a person's save can be overwritten:
    the new file is exchanged in atomically, and what came out is compared with what was read;
    if it differs, the two are exchanged back and ChangedMeanwhile is raised."""
    try:
        _replace_if_unchanged(path, data, expected)
    except OSError as exc:
        raise FileError(f"cannot write: {_reason(exc)}", path) from exc


def _replace_if_unchanged(path: Path, data: bytes, expected: bytes | None) -> None:
    tmp = _temporary(path, data)
    try:
        if expected is None:
            try:
                os.link(tmp, path)  # creates the file only where there still is none
            except FileExistsError:
                raise ChangedMeanwhile(CHANGED, path) from None
            return
        if not _exchange(tmp, path):
            if read_bytes(path, "file") != expected:  # no exchange here: the narrowest check there is
                raise ChangedMeanwhile(CHANGED, path)
            os.replace(tmp, path)
            return
        if tmp.read_bytes() == expected:
            return
        _exchange(tmp, path)  # theirs back in place
        if tmp.read_bytes() != data:  # they saved once more in between: keep that copy too
            kept = tmp.with_name(f"{path.name}.{os.getpid()}.saved")
            os.replace(tmp, kept)
            raise ChangedMeanwhile(f"{CHANGED}; another version they saved is kept as {kept.name}", path)
        raise ChangedMeanwhile(CHANGED, path)
    finally:
        tmp.unlink(missing_ok=True)


CHANGED = (
    "the file changed while the command ran (saved in an editor?); nothing was written to it; "
    "run the command again"
)


# -- one writer at a time ---------------------------------------------------------------

LOCK_NAME = ".pipeline.lock"
_held: dict[Path, int] = {}  # project root -> how many nested stages hold its lock in this process


@contextmanager
def project_lock(root: Path) -> Iterator[None]:
    """Only one pipeline command writes in a project at a time; readers take no lock.

    fcntl locks end with the process that holds them (a killed command leaves none behind)
    and are not inherited by forked workers, which write only what their parent locked for.
    """
    key = root.resolve()
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    path = key / LOCK_NAME
    try:
        # never through a link: a committed .pipeline.lock -> ~/.bashrc must not be truncated
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        reason = "it is a link: refused" if exc.errno == errno.ELOOP else _reason(exc)
        raise FileError(f"cannot lock the project: {reason}", path) from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        raise FileError("cannot lock the project: not a plain file of its own (a link?): refused", path)
    handle = os.fdopen(fd, "r+")
    try:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another"
            raise FileError(
                f"another pipeline command (process {holder}) is writing in this project; "
                "run this one when it has finished",
                path,
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
    finally:
        handle.close()  # closing releases the lock


class _Project(Protocol):
    @property
    def root(self) -> Path: ...


P = ParamSpec("P")
R = TypeVar("R")


def writes_project(stage: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
    """Run a stage that writes (its first argument the configuration) under the project lock."""

    @wraps(stage)
    def locked(config: _Project, *args: P.args, **kwargs: P.kwargs) -> R:
        with project_lock(config.root):
            return stage(config, *args, **kwargs)

    return locked


def cache_root() -> Path:
    """The pipeline's cache folder: ``PIPELINE_CACHE_DIR``, or ``pipeline`` in the user's cache.
    Everything in it is rebuilt from the project and the installed packages."""
    base = os.environ.get("PIPELINE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pipeline"
    )
    return Path(base)
