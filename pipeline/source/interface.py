"""The interface strings documents need, extracted with ``msgctxt "interface"``."""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT = "interface"


@dataclass(frozen=True)
class UIString:
    msgid: str
    comment: str
    brace_format: bool = False
    gate: str = ""  # the review gate relies on it: it must keep visible text (named so in messages)


# Keys are what templates and code use; msgids are what translators see.
STRINGS: dict[str, UIString] = {
    "dateline": UIString(
        "{place}, {date}",
        "Dateline of the letter: {place} is the translated place, {date} the date "
        "as CLDR writes it in your language. Reorder if your language needs to.",
        brace_format=True,
    ),
    "draft_mark": UIString(
        "Draft — translation not yet reviewed",
        "Printed at the top of every page while any entry of this language awaits review.",
        gate="draft mark",
    ),
    "original_note": UIString(
        "This is a translation. The English text is the original.",
        "Short note printed under the letter in every translated version.",
        gate="note that this is a translation",
    ),
    "organisations": UIString(
        "Organisational signatories", "Heading of the list of organisations that signed."
    ),
    "individuals": UIString("Individual signatories", "Heading of the list of people who signed."),
    "page": UIString(
        "Page {page} of {pages}",
        "Page number in the footer of the PDF.",
        brace_format=True,
    ),
    "footnotes": UIString("Notes", "Heading of the footnotes at the end of the web page."),
    "revision": UIString(
        "Revision {revision}",
        "Shows which version of the document this is; {revision} is a short code.",
        brace_format=True,
    ),
    "back_to_text": UIString(
        "Back to the text",
        "Read out by screen readers for the link from a footnote back to where the text cites it.",
    ),
    "other_languages": UIString(
        "Other languages",
        "Web page: label of the list of links to this document in the other languages.",
    ),
    "all_languages": UIString(
        "All languages and downloads",
        "Web page: link to the page that lists every language of this document, with its PDF.",
    ),
}

# The msgids whose {fields} the pipeline fills in: the source says so, whatever flag a catalog keeps.
BRACE_FORMAT: frozenset[str] = frozenset(ui.msgid for ui in STRINGS.values() if ui.brace_format)

FIELD = re.compile(r"\{\w+\}")  # a {field} the pipeline fills in


def same_fields(msgid: str, msgstr: str) -> bool:
    """Whether a translation keeps the {fields} of an interface string the pipeline fills in
    (any text for a string without them)."""
    return msgid not in BRACE_FORMAT or set(FIELD.findall(msgid)) == set(FIELD.findall(msgstr))


# msgid -> what it is, for the strings the review gate relies on.
GATES: dict[str, str] = {ui.msgid: ui.gate for ui in STRINGS.values() if ui.gate}


# Strings a document without a dateline or without signatories does not show (nor extract).
_DATELINE = ("dateline",)
_SIGNED = ("organisations", "individuals")
_NOTES = ("footnotes", "back_to_text")


def needed(*, letter: bool, signed: bool, notes: bool = True) -> list[UIString]:
    """The interface strings a document shows: the dateline only with a place and a date,
    the signatories' headings only with signatories, the notes' only with footnotes."""
    skip = (() if letter else _DATELINE) + (() if signed else _SIGNED) + (() if notes else _NOTES)
    return [ui for key, ui in STRINGS.items() if key not in skip]
