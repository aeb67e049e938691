"""Answers back into entries: refused where the safety rules refuse them, else fuzzy with a record."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field

import polib

from ..catalogs import marks, safety
from ..catalogs.marks import MT_PREFIX
from ..source import interface, markup
from . import text_codec, xml_codec
from .engine import Translated
from .plan import Batch, Key

# polib wraps a comment line longer than this ("# " + 77 = 79 columns).
MAX_MARKER_LINE = 77


def _today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


@dataclass
class Tally:
    segments: int = 0
    billed: int = 0
    broken: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)


def write_back(
    entries: dict[Key, polib.POEntry], batch: Batch, answers: list[Translated], engine: str, tally: Tally
) -> None:
    """Each answer into its entries: refused where the safety rules refuse it, else fuzzy with a record."""
    day = _today()
    for unit, answer in zip(batch.units, answers, strict=True):
        encoded = unit.encoded
        # What the server sent, references decoded: a control in it is refused, not made harmless
        # (and text that is not Unicode at all, a lone surrogate, is refused before it is parsed).
        sent = safety.characters(answer.text) or safety.characters(html.unescape(answer.text))
        if sent:
            tally.refused.extend((key[1], sent[0]) for key in unit.keys)
            continue
        result = (
            text_codec.decode(encoded, answer.text)
            if isinstance(encoded, text_codec.EncodedText)
            else xml_codec.decode(encoded, answer.text)
        )
        written = False
        for key in unit.keys:
            plain = key[0] == interface.CONTEXT
            # An interface string is text: the answer as a reader sees it, with nothing escaped.
            text = markup.visible_text(result.markdown, urls=True) if plain else result.markdown
            refusal = safety.problems(key[1], text, plain=plain)
            if refusal:
                tally.refused.append((key[1], refusal[0]))
                continue
            fill(entries[key], xml_codec.Decoded(text, result.problems), engine, answer.model, day)
            written = True
        tally.broken += written and not result.ok


def fill(entry: polib.POEntry, decoded: xml_codec.Decoded, engine: str, model: str, day: str) -> None:
    """Write a machine translation into an entry: fuzzy, with the record of who wrote it."""
    entry.msgstr = decoded.markdown
    entry.flags = marks.with_fuzzy(entry.flags)
    entry.previous_msgid = None
    entry.previous_msgctxt = None
    plain = entry.msgctxt == interface.CONTEXT
    evidence = marks.hashes(entry.msgid, decoded.markdown, plain=plain, exact=True).split()
    # The model's name comes from the server: only a plain word of it reaches the comment.
    model = re.sub(r"[^A-Za-z0-9_.-]", "", model)[:40] or "unknown"
    notes = _pack(MT_PREFIX, [engine, f"model={model}", day, *evidence])
    if decoded.problems:
        notes.append(f"{marks.MARKER} markup broken by MT, repair it before review:")
        notes += [_fit(f"{marks.MARKER} - " + " ".join(p.split())) for p in decoded.problems]
    marks.set_markers(entry, notes)


def _pack(prefix: str, words: list[str]) -> list[str]:
    """Marker lines of ``words``, each short enough that no writer wraps it.

    A wrapped line would no longer start with the marker and would pass for a
    translator's own comment.
    """
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= MAX_MARKER_LINE:
            lines[-1] += " " + word
        else:
            lines.append(_fit(prefix + word))
    return lines


def _fit(line: str) -> str:
    return line if len(line) <= MAX_MARKER_LINE else line[: MAX_MARKER_LINE - 1] + "…"
