"""An entry's review state, and the pipeline's marks in translator comments (drafts, MT records).

Every mark the pipeline writes records a hash of the text it vouches for and of the msgid
it translated (both with link targets blanked, so filling in a URL changes neither). A
machine translation's record also holds the exact text (``raw=``): a person who changed
only a link target has still changed it, and translate never writes over that. The
mark stays when a reviewer clears fuzzy: from it, and from ``#,`` and ``#|``, the state of
an entry is derived, whatever tool saved the file last.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import polib

from ..source import interface, markup

# Translator comments that start with this belong to the pipeline (draft and
# MT records). GNU tools keep translator comments, but drop unknown flags.
MARKER = "pipeline:"
DRAFT_NOTE = "pipeline: draft awaiting review by a native speaker"
DRAFT_PREFIX = f"{MARKER} draft "
MT_PREFIX = f"{MARKER} mt "
_HASHES = re.compile(r"\b(sha|msgid|raw)=([0-9a-f]{16})\b")


class State(StrEnum):
    REVIEWED = "reviewed"  # a person wrote or edited it, and it is not fuzzy
    APPROVED = "approved"  # fuzzy cleared on a draft or machine text nobody changed
    UNREVIEWED = "unreviewed"  # fuzzy: a draft or machine text awaiting review
    STALE = "stale"  # its source changed since it was written
    UNTRANSLATED = "untranslated"

    @property
    def published(self) -> bool:
        """Printed as it is, without the draft mark."""
        return self in (State.REVIEWED, State.APPROVED)


@dataclass(frozen=True)
class Evidence:
    """What a pipeline mark vouches for: a text (its hash) written for a msgid (its hash)."""

    kind: str  # "draft", "mt"…: the first word after "pipeline:"
    text: str | None
    msgid: str | None
    exact: str | None = None  # the text's own hash, link targets and all (machine records)


def translated(entry: polib.POEntry) -> bool:
    """Whether a person or a machine wrote anything: the msgstr, or any plural form."""
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def digest(text: str) -> str:
    """A short hash of a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=4096)
def vouched(text: str, plain: bool) -> str:
    """The hash a mark records for a text: link targets blanked, unless it is plain text."""
    return digest(text if plain else markup.without_link_targets(text))


def _plain(entry: polib.POEntry) -> bool:
    return entry.msgctxt == interface.CONTEXT


def hashes(msgid: str, text: str, *, plain: bool, exact: bool = False) -> str:
    """The words a mark ends with: ``sha=<text> msgid=<msgid>`` (and ``raw=<text as it is>``)."""
    words = f"sha={vouched(text, plain)} msgid={vouched(msgid, plain)}"
    return f"{words} raw={digest(text)}" if exact else words


def draft_marks(msgid: str, text: str, *, plain: bool) -> list[str]:
    """The two lines that mark a team's draft of ``text`` for ``msgid``."""
    return [DRAFT_NOTE, f"{DRAFT_PREFIX}{hashes(msgid, text, plain=plain)}"]


def with_fuzzy(flags: list[str]) -> list[str]:
    """``flags`` with ``fuzzy`` first, once: the mark every editor reads as "needs review"."""
    return ["fuzzy", *[f for f in flags if f != "fuzzy"]]


def markers(entry: polib.POEntry) -> list[str]:
    return [ln for ln in (entry.tcomment or "").splitlines() if ln.startswith(MARKER)]


def set_markers(entry: polib.POEntry, new: Iterable[str]) -> None:
    """Replace the pipeline's lines in the translator comment, keeping the translator's."""
    human = [ln for ln in (entry.tcomment or "").splitlines() if not ln.startswith(MARKER)]
    entry.tcomment = "\n".join([*new, *human])


def evidence(entry: polib.POEntry) -> Evidence | None:
    """What the entry's pipeline marks vouch for, if it has any."""
    lines = markers(entry)
    if not lines:
        return None
    found = {m.group(1): m.group(2) for line in lines for m in _HASHES.finditer(line)}
    words = lines[0].removeprefix(MARKER).split()
    kind = words[0] if words else ""
    return Evidence(kind, found.get("sha"), found.get("msgid"), found.get("raw"))


def state(entry: polib.POEntry) -> State:
    """The entry's state, from its flags, its previous msgid and the evidence of its marks."""
    if not translated(entry):
        return State.UNTRANSLATED
    mark = evidence(entry)
    plain = _plain(entry)
    if "fuzzy" in entry.flags:
        moved = mark is not None and mark.msgid is not None and mark.msgid != vouched(entry.msgid, plain)
        return State.STALE if entry.previous_msgid or moved else State.UNREVIEWED
    if entry.previous_msgid:  # fuzzy cleared by a tool that left the old source in place: not reviewed
        return State.STALE
    if mark is not None and mark.text == vouched(entry.msgstr, plain):
        return State.APPROVED
    return State.REVIEWED


def machine_record(entry: polib.POEntry) -> str | None:
    """The pipeline's record of a machine translation on this entry, if any."""
    lines = [m.removeprefix(MT_PREFIX) for m in markers(entry) if m.startswith(MT_PREFIX)]
    return " ".join(lines) or None


def machine_wrote(entry: polib.POEntry) -> bool:
    """Whether the msgstr is still exactly what the machine wrote: nobody edited it, not even
    a link target. A record without the exact hash (older ones) never counts: keep, not lose."""
    mark = evidence(entry)
    return (
        mark is not None
        and mark.kind == "mt"
        and bool(entry.msgstr)
        and mark.exact is not None
        and mark.exact == digest(entry.msgstr)
        and mark.text == vouched(entry.msgstr, _plain(entry))
    )


def restamp_exact(entry: polib.POEntry, before: str) -> None:
    """After the pipeline itself changed a machine text's link targets (the source filled
    them in), record the new exact text, but only where the machine's text was untouched."""
    mark = evidence(entry)
    if mark is None or mark.kind != "mt" or mark.exact != digest(before):
        return
    lines = [ln.replace(f"raw={mark.exact}", f"raw={digest(entry.msgstr)}") for ln in markers(entry)]
    set_markers(entry, lines)
