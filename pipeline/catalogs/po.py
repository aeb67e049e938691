"""Reading and writing .pot/.po files: strict reading (msgfmt is the reference), msgcat-identical writing."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polib
from babel import Locale

from .. import languages
from ..errors import CatalogError, ChangedMeanwhile, NoCatalogError
from ..files import CHANGED, read_bytes, replace_if_unchanged
from ..version import __version__

_SYNTAX_LINE = re.compile(r"\(line (\d+)\)")
# No catalog of a document comes near this; a bigger file is refused before it is read.
MAX_CATALOG_BYTES = 10 * 1024 * 1024
# A line holding a string: a keyword (or a continuation), in an active, obsolete or previous entry.
_STRING_LINE = re.compile(r'^(?:#~\|? ?|#\| ?)?(?:msgctxt|msgid(?:_plural)?|msgstr(?:\[\d+\])?)?[ \t]*(".*)$')
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.?)")
_C_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "r": "\r", "v": "\v"}


# -- reading -----------------------------------------------------------------


@dataclass
class Catalog:
    """A catalog as read from disk, with what it held then (to detect edits made meanwhile)."""

    path: Path
    po: polib.POFile
    original: bytes | None  # None: the file did not exist

    def entries(self) -> list[polib.POEntry]:
        return [e for e in self.po if not e.obsolete]


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError("not valid UTF-8 (save the file as UTF-8)", path, line) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(path: Path, data: bytes, language: str | None) -> polib.POFile:
    """Parse catalog bytes strictly; ``language`` is what the header must say (None for a .pot)."""
    text = _decode(path, data)
    # Controls, and the separators Python splits lines at (a reader would lose the line count).
    bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]", text)
    if bad:
        line = text[: bad.start()].count("\n") + 1
        raise CatalogError(f"control character U+{ord(bad.group()):04X} in the file", path, line)
    if not text.strip():
        raise CatalogError("empty file: no header", path, 1)
    po = _polib(path, text)
    if not po.metadata:
        raise CatalogError("missing header (the entry with an empty msgid)", path, 1)
    seen: dict[tuple[str | None, str], int] = {}
    for entry in po:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            raise CatalogError(
                f"duplicate msgid {short(entry.msgid)!r} (first at line {seen[key]})",
                path,
                entry.linenum,
            )
        seen[key] = entry.linenum
    _charset(path, text, po.metadata.get("Content-Type"))
    if language is not None:
        found = po.metadata.get("Language", "")
        if found.replace("-", "_").split("_")[0] != language.split("_")[0] or not found:
            raise CatalogError(
                f"header says Language: {found or '(none)'}, but the folder is {language}",
                path,
                _header_line(text, "Language"),
            )
    return po


def _charset(path: Path, text: str, content_type: str | None) -> None:
    """UTF-8 only: msgfmt decodes by the header's charset, the pipeline reads UTF-8; any other
    charset and the two would read different texts from the same file."""
    found = re.search(r"charset=([^\s;]+)", content_type or "", re.IGNORECASE)
    charset = found.group(1) if found else None
    if charset is not None and charset.lower().replace("_", "-") in ("utf-8", "utf8"):
        return
    raise CatalogError(
        f"header says Content-Type: {content_type or '(none)'}; catalogs are UTF-8: "
        "write 'text/plain; charset=UTF-8' (msgconv --to-code=UTF-8 converts a file)",
        path,
        _header_line(text, "Content-Type"),
    )


def _escapes(path: Path, text: str) -> None:
    """Only \\\\, \\", \\n and \\t: every other escape is read differently by polib and by msgfmt,
    and would be rewritten by the next msgcat (a diff nobody made)."""
    for number, line in enumerate(text.splitlines(), 1):
        found = _STRING_LINE.match(line)
        if found is None:
            continue
        for escape in _ESCAPE.finditer(found.group(1)):
            if escape.group(1) not in ("\\", '"', "n", "t"):
                raise CatalogError(_escape_message(escape.group(1)), path, number)


def _escape_message(code: str) -> str:
    if code[:1] == "x":
        char = chr(int(code[1:], 16))
    elif code[:1].isdigit():
        char = chr(int(code, 8))
    else:
        char = _C_ESCAPES.get(code, code)
    reads = f"U+{ord(char):04X}" if not char.isprintable() else repr(char) if char else "nothing"
    return (
        f"escape \\{code} in a string: gettext tools read it as {reads}; write the character itself "
        '(a catalog may only use the escapes \\\\, \\", \\n and \\t)'
    )


_MSGFMT_LINE = re.compile(r"^<stdin>:(\d+):(?:\d+:)? (.*)$")


def _polib(path: Path, text: str) -> polib.POFile:
    """polib's reading of ``text``, while GNU msgfmt reads it in its own process: msgfmt's
    verdict comes first (what polib makes of a file msgfmt refuses is never reported).

    Input and messages go through files, not pipes: nothing waits on a full pipe, no thread
    is needed, and a command may start worker processes at any time."""
    exe = shutil.which("msgfmt")
    if exe is None:
        raise CatalogError(
            "GNU gettext's msgfmt is needed to read catalogs; install it (apt-get install gettext)"
        )
    failure: Exception | None = None
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as messages:
        given.write(text.encode("utf-8"))
        given.seek(0)
        command = [exe, "-o", os.devnull, "-"]
        process = subprocess.Popen(command, stdin=given, stdout=subprocess.DEVNULL, stderr=messages)
        try:
            po = polib.pofile(text, wrapwidth=79, check_for_duplicates=False)
        except Exception as exc:
            failure = exc
        code = process.wait()
        messages.seek(0)
        _syntax(path, text, code, messages.read())
    _escapes(path, text)
    if failure is None:
        return po
    if not isinstance(failure, OSError | ValueError):
        raise failure
    match = _SYNTAX_LINE.search(str(failure))
    message = str(failure).split(" (line")[0].rstrip(":")
    raise CatalogError(
        f"{message}".replace("in po file", "").strip() or "syntax error",
        path,
        int(match.group(1)) if match else None,
    ) from failure


def _syntax(path: Path, text: str, code: int, stderr: bytes) -> None:
    """GNU msgfmt is the reference for a well-formed catalog (polib forgives too much)."""
    if code == 0:
        return
    errors = [m for m in map(_MSGFMT_LINE.match, stderr.decode("utf-8", "replace").splitlines()) if m]
    if not errors:
        raise CatalogError(f"msgfmt rejects the file: {stderr.decode().strip()}", path)
    line, message = int(errors[0].group(1)), errors[0].group(2)
    if message == "end-of-line within string":
        line -= 1  # msgfmt counts the newline that ended the string
    if message.startswith("duplicate message definition") and len(errors) > 1:
        # msgfmt points at the first definition's msgstr; name its msgid line.
        lines = text.splitlines()
        first = int(errors[1].group(1))
        while first > 1 and not lines[first - 1].startswith("msgid "):
            first -= 1
        message = f"duplicate entry (first at line {first})"
    raise CatalogError(f"syntax error: {message}", path, line)


def _header_line(text: str, field: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(f'"{field}:'):
            return number
    return 1


def short(text: str, width: int = 40) -> str:
    """``text`` cut to ``width`` characters for a message."""
    return text if len(text) <= width else text[: width - 1] + "…"


def read(path: Path, language: str | None) -> Catalog:
    """Read a catalog strictly; ``language`` is its folder's code (None for the template)."""
    if language is not None and not os.path.lexists(path):
        raise NoCatalogError(language, path)
    what = "catalog" if language else "template"
    data = read_bytes(path, what, MAX_CATALOG_BYTES)
    return Catalog(path, parse(path, data, language), data)


# -- writing -----------------------------------------------------------------


def msgcat_path() -> str:
    found = shutil.which("msgcat")
    if not found:
        raise CatalogError(
            "GNU gettext's msgcat is needed to write catalogs exactly as gettext does; "
            "install it (Debian: apt-get install gettext)"
        )
    return found


WRAP = "wrap"  # msgcat's default: strings wrapped at 79 columns
NO_WRAP = "no-wrap"  # msgcat --no-wrap: as Poedit, Lokalize or Weblate save when told not to wrap


def _msgcat(data: bytes, wrap: str, path: Path) -> bytes:
    args = [msgcat_path(), "--to-code=UTF-8", *(["--no-wrap"] if wrap == NO_WRAP else []), "-"]
    result = subprocess.run(args, input=data, capture_output=True, check=False)
    if result.returncode != 0:
        raise CatalogError(f"msgcat refused the catalog: {result.stderr.decode().strip()}", path)
    return result.stdout


def serialise(po: polib.POFile, path: Path, wrap: str = WRAP) -> bytes:
    """The bytes GNU gettext itself would write: polib's text, wrapped by msgcat in ``wrap`` style."""
    # polib would re-wrap long translator comments (msgcat leaves them alone):
    # write unwrapped and let msgcat wrap msgid and msgstr as gettext does.
    width = po.wrapwidth
    po.wrapwidth = 0
    try:
        raw = str(po).encode("utf-8")
    finally:
        po.wrapwidth = width
    return _msgcat(raw, wrap, path)


def canonical(data: bytes, path: Path) -> tuple[str, bytes]:
    """The wrap style a file was saved in, and the file as msgcat writes it in that style.

    A file msgcat writes back unchanged, wrapped or not, tells its style; any other (a tool
    that wraps its own way) is taken as unwrapped where a string line is wider than 79
    columns, and as wrapped otherwise."""
    text = _decode(path, data)  # a BOM and CRLF line ends: read, and normalised on writing
    plain = text.encode("utf-8")
    for style in (WRAP, NO_WRAP):
        written = _msgcat(plain, style, path)
        if written == plain:
            return style, written
    wide = any(len(ln) > 79 and _STRING_LINE.match(ln) for ln in text.splitlines())
    style = NO_WRAP if wide else WRAP
    return style, _msgcat(plain, style, path)


def _field(data: bytes, name: str) -> str | None:
    """A header field's value, read from the file's own bytes."""
    found = re.search(rf'^"{re.escape(name)}: (.*?)\\n"$', data.decode("utf-8", "replace"), re.M)
    return found.group(1) if found else None


def save(catalog: Catalog, stamp: str | None = None) -> bool:
    """Write the catalog, in the wrap style it was saved in, if anything in it changed.

    ``stamp``: the header field that records the time of a change the pipeline made
    (``POT-Creation-Date`` of the template, ``PO-Revision-Date`` of an MT run); the
    other header fields are the editors'. Refuses when someone saved the file since it
    was read: their edit wins.
    """
    data = prepare(catalog, stamp)
    if data is None:
        return False
    commit(catalog, data)
    return True


def prepare(catalog: Catalog, stamp: str | None = None) -> bytes | None:
    """The bytes ``save`` would write (None: nothing changed), without writing: a command that
    writes several catalogs serialises them all first, so one failing writes none."""
    path = catalog.path
    current = read_bytes(path, "catalog") if os.path.lexists(path) else None
    if current != catalog.original:  # before msgcat runs: the common case, stopped early
        raise ChangedMeanwhile(CHANGED, path)
    wrap, before = canonical(catalog.original, path) if catalog.original is not None else (WRAP, None)
    if stamp and catalog.original is not None:
        previous = _field(catalog.original, stamp)
        if previous is not None:
            catalog.po.metadata[stamp] = previous
    data = serialise(catalog.po, path, wrap)
    original = catalog.original
    if original is not None and (
        data == original
        # only wrapped another way: an editor's own wrapping is not touched (a BOM or CRLF is)
        or (data == before and _decode(path, original).encode("utf-8") == original)
    ):
        return None
    if stamp:
        catalog.po.metadata[stamp] = now_stamp()
        data = serialise(catalog.po, path, wrap)
    return data


def commit(catalog: Catalog, data: bytes) -> None:
    """Write what ``prepare`` made; a save made meanwhile wins, atomically."""
    replace_if_unchanged(catalog.path, data, catalog.original)
    catalog.original = data


def now_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M+0000")


def header_comment(title: str, language: str | None) -> str:
    what = "Template"
    if language:
        english = Locale.parse(languages.get(language).babel).get_language_name("en")
        what = f"{english} translation"
    return (
        f"{title}\n{what}. Written by pipeline {__version__}: edit msgstr and translator\n"
        "comments only; everything else is regenerated from the source."
    )
