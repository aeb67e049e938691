"""Typography per language: quotation marks, final punctuation, brackets, French spacing."""

from __future__ import annotations

import re

from .. import languages
from .findings import WARNING

# Quotation marks: (opening, closing) pairs a language uses.
QUOTES: dict[str, tuple[tuple[str, str], ...]] = {
    "bg": (("„", "“"), ("«", "»")),
    "cs": (("„", "“"), ("‚", "‘")),
    "da": (("»", "«"), ("„", "“"), ("“", "”")),
    "de": (("„", "“"), ("‚", "‘"), ("»", "«")),
    "et": (("„", "“"), ("«", "»")),
    "el": (("«", "»"), ("“", "”")),
    "en": (("“", "”"), ("‘", "’")),
    "es": (("«", "»"), ("“", "”")),
    "fi": (("”", "”"), ("’", "’")),
    "fr": (("«", "»"), ("“", "”")),
    "ga": (("“", "”"), ("‘", "’")),
    "hr": (("„", "“"), ("»", "«"), ("“", "”")),
    "hu": (("„", "”"), ("»", "«")),
    "it": (("«", "»"), ("“", "”")),
    "lt": (("„", "“"),),
    "lv": (("„", "“"), ("“", "”"), ("«", "»")),
    "mt": (("“", "”"), ("‘", "’")),
    # The Interinstitutional Style Guide's Dutch part (5.10, "Citaten") quotes with “…”, and ‘…’
    # inside; „…” is falling out of use in Dutch (Onze Taal) and is not the EU's Dutch style.
    "nl": (("“", "”"), ("‘", "’")),
    "pl": (("„", "”"), ("«", "»")),
    "pt": (("«", "»"), ("“", "”")),
    "ro": (("„", "”"), ("«", "»")),
    "sk": (("„", "“"), ("‚", "‘")),
    "sl": (("„", "“"), ("»", "«")),
    "sv": (("”", "”"), ("’", "’")),
}
# What a final mark of the source may become.
# Salutations end in "," "!" ":" or nothing, and list items in ";" "," or "." by
# language; the Greek question mark is ";".
_COMMA = (",", "!", ":", "")
_SEMICOLON = (";", ",", ".", "·")
FINAL_EQUIVALENTS: dict[str, dict[str, tuple[str, ...]]] = {
    code: {",": _COMMA, ";": _SEMICOLON} for code in languages.BY_CODE
}
FINAL_EQUIVALENTS["el"]["?"] = (";",)
APOSTROPHES = "'’"
_FINAL_MARKS = ".!?:;,·…"


def final_mark(text: str) -> str:
    """The first of ``.!?:;,·…`` in the text's trailing run of non-word characters ("" if none);
    a linear scan from the end (a regular expression rescans that run from every position)."""
    start = len(text)
    while start > 0 and not (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return next((c for c in text[start:] if c in _FINAL_MARKS), "")


Found = list[tuple[str, str, str]]  # (severity, code, message)


def check_punctuation(code: str, source: str, text: str) -> Found:
    """Typography of a translation's visible ``text`` against its ``source``'s."""
    return [
        *_end_mark(code, source, text),
        *_brackets(text),
        *_quotes(code, text),
        *_french_spaces(code, text),
    ]


def _end_mark(code: str, source: str, text: str) -> Found:
    mark_a, mark_b = final_mark(source), final_mark(text)
    allowed = FINAL_EQUIVALENTS.get(code, {}).get(mark_a, (mark_a,))
    if mark_a == mark_b or mark_b in allowed or (mark_a == "…" and mark_b == "."):
        return []
    message = f"source ends with {mark_a or 'no mark'!r}, translation with {mark_b or 'no mark'!r}"
    return [(WARNING, "end-punctuation", message)]


def _brackets(text: str) -> Found:
    # "point d)" / "písm. d)": legal list letters close a bracket they never opened.
    counted = re.sub(r"(?<=\s)[^\W\d_]\)", "", text)
    return [
        (WARNING, "brackets", f"unbalanced {opening}{closing}")
        for opening, closing in (("(", ")"), ("[", "]"))
        if counted.count(opening) != counted.count(closing)
    ]


def _quotes(code: str, text: str) -> Found:
    pairs = tuple(
        p for p in QUOTES.get(code, ()) if p[0] not in APOSTROPHES + "‚" and p[1] not in APOSTROPHES
    )
    found = []
    if not _quotes_balance(text, pairs):
        marks = " ".join(f"{a}…{b}" for a, b in pairs)
        found.append((WARNING, "quotes", f"quotation marks do not pair up ({marks})"))
    if code in QUOTES and code != "en":
        used = {c for c in text if c in "“”„«»"}
        known = {c for pair in pairs for c in pair}
        if used - known:
            message = f"quotation marks {''.join(sorted(used - known))} are not this language's"
            found.append((WARNING, "typography", message))
    return found


def _french_spaces(code: str, text: str) -> Found:
    if code != "fr":
        return []
    spaced = re.sub(r"https?://\S+|\{\w+\}", "", text)
    if re.search(r"[^\s\u00a0\u202f][;:!?»]", spaced) or re.search(r"«[^\u00a0\u202f]", spaced):
        return [(WARNING, "typography", "French needs a no-break space before ; : ! ? » and after «")]
    return []


def _quotes_balance(text: str, pairs: tuple[tuple[str, str], ...]) -> bool:
    """Whether the quotation marks nest and close, reading left to right."""
    openers = {a for a, _ in pairs}
    closes = {(a, b) for a, b in pairs}
    marks = openers | {b for _, b in pairs}
    stack: list[str] = []
    for char in text:
        if char not in marks:
            continue
        if stack and (stack[-1], char) in closes:
            stack.pop()
        elif char in openers:
            stack.append(char)
        else:
            return False
    return not stack
