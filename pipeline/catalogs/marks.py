"""An entry's review state, and the pipeline's marks in translator comments (drafts, MT records)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from enum import StrEnum

import polib

# Translator comments that start with this belong to the pipeline (draft and
# MT records). GNU tools keep translator comments, but drop unknown flags.
MARKER = "pipeline:"
DRAFT_NOTE = "pipeline: draft awaiting review by a native speaker"
MT_PREFIX = f"{MARKER} mt "
_SHA = re.compile(r"\bsha=([0-9a-f]+)\b")


class State(StrEnum):
    REVIEWED = "reviewed"
    UNREVIEWED = "unreviewed"
    STALE = "stale"
    UNTRANSLATED = "untranslated"


def translated(entry: polib.POEntry) -> bool:
    """Whether a person or a machine wrote anything: the msgstr, or any plural form."""
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def state(entry: polib.POEntry) -> State:
    if not translated(entry):
        return State.UNTRANSLATED
    if "fuzzy" in entry.flags:
        return State.STALE if entry.previous_msgid else State.UNREVIEWED
    return State.REVIEWED


def digest(text: str) -> str:
    """A short hash of a text, used to recognise what a machine wrote."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def markers(entry: polib.POEntry) -> list[str]:
    return [ln for ln in (entry.tcomment or "").splitlines() if ln.startswith(MARKER)]


def set_markers(entry: polib.POEntry, new: Iterable[str]) -> None:
    """Replace the pipeline's lines in the translator comment, keeping the translator's."""
    human = [ln for ln in (entry.tcomment or "").splitlines() if not ln.startswith(MARKER)]
    entry.tcomment = "\n".join([*new, *human])


def machine_record(entry: polib.POEntry) -> str | None:
    """The pipeline's record of a machine translation on this entry, if any."""
    lines = [m.removeprefix(MT_PREFIX) for m in markers(entry) if m.startswith(MT_PREFIX)]
    return " ".join(lines) or None


def machine_wrote(entry: polib.POEntry) -> bool:
    """Whether the msgstr is still exactly what the machine wrote (nobody edited it)."""
    record = machine_record(entry)
    match = _SHA.search(record) if record else None
    return match is not None and bool(entry.msgstr) and match.group(1) == digest(entry.msgstr)
