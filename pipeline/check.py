"""Check: findings per entry (source against translation) and per source file. Findings are data."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import polib

from . import catalogs, document, glossary, languages, markup, safety
from .config import Config

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    severity: str  # "error" or "warning"
    code: str
    message: str
    language: str = ""

    def format(self, root: Path | None = None) -> str:
        path = self.path
        if root is not None:
            with contextlib.suppress(ValueError):
                path = path.resolve().relative_to(root.resolve())
        return f"{path}:{self.line}: {self.severity} {self.code}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "path": str(self.path)}


# -- each language's typography ------------------------------------------------

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
    "nl": (("“", "”"), ("‘", "’"), ("„", "”")),
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
# Usual length of a translation against English (characters), and the tolerance.
LENGTH_RATIO: dict[str, float] = {
    "de": 1.2,
    "fr": 1.2,
    "es": 1.2,
    "it": 1.15,
    "pt": 1.15,
    "nl": 1.15,
    "el": 1.2,
    "ga": 1.25,
    "fi": 1.1,
    "hu": 1.15,
    "ro": 1.15,
    "pl": 1.1,
    "bg": 1.15,
    "lt": 1.05,
    "lv": 1.05,
}
APOSTROPHES = "'’"
_PUNCT_END = re.compile(r"([.!?:;,·…])\W*$")
_NUMBER = re.compile(r"\d+(?:[,.\u00a0\u202f ]\d{3})*")


def _plain(text: str) -> str:
    """The text a reader sees: no link targets, no autolinks, no footnote references."""
    text = re.sub(r"\]\((?:<[^>]*>|[^)\s]*)(?: \"[^\"]*\")?\)", "]", text)
    text = re.sub(r"<(?:https?|mailto):[^>]*>", "", text)
    return re.sub(r"\[\^[^\]]+\]", "", text)


def numbers(text: str) -> Counter[str]:
    return Counter(re.sub(r"\D", "", n) for n in _NUMBER.findall(_plain(text)))


def _check_markup(msgid: str, msgstr: str) -> list[tuple[str, str, str]]:
    src = markup.elements(markup.parse_inline(msgid))
    dst = markup.elements(markup.parse_inline(msgstr))
    found = []
    for kind in ("em", "strong", "footnote", "break", "code", "autolink", "image"):
        a = Counter(e for e in src if e.kind == kind)
        b = Counter(e for e in dst if e.kind == kind)
        if a != b:
            lost = ", ".join(e.describe() for e in (a - b).elements())
            extra = ", ".join(e.describe() for e in (b - a).elements())
            what = "; ".join(
                x for x in (f"missing {lost}" if lost else "", f"extra {extra}" if extra else "") if x
            )
            found.append((ERROR, "markup", what))
    links_src = [e.value for e in src if e.kind == "link"]
    links_dst = [e.value for e in dst if e.kind == "link"]
    if len(links_src) != len(links_dst):
        found.append(
            (ERROR, "markup", f"{len(links_src)} links in the source, {len(links_dst)} in the translation")
        )
    else:
        for target in links_dst:
            if target not in links_src and not re.match(r"https?://", target):
                found.append(
                    (
                        ERROR,
                        "link-target",
                        f"link target {target!r} is neither the source's nor an http(s) URL",
                    )
                )
    return found


def _check_punctuation(code: str, msgid: str, msgstr: str) -> list[tuple[str, str, str]]:
    found = []
    a, b = _PUNCT_END.search(_plain(msgid)), _PUNCT_END.search(_plain(msgstr))
    mark_a = a.group(1) if a else ""
    mark_b = b.group(1) if b else ""
    allowed = FINAL_EQUIVALENTS.get(code, {}).get(mark_a, (mark_a,))
    if mark_a != mark_b and mark_b not in allowed and not (mark_a == "…" and mark_b == "."):
        found.append(
            (
                WARNING,
                "end-punctuation",
                f"source ends with {mark_a or 'no mark'!r}, translation with {mark_b or 'no mark'!r}",
            )
        )
    plain = _plain(msgstr)
    # "point d)" / "písm. d)": legal list letters close a bracket they never opened.
    counted = re.sub(r"(?<=\s)[^\W\d_]\)", "", plain)
    for opening, closing in (("(", ")"), ("[", "]")):
        if counted.count(opening) != counted.count(closing):
            found.append((WARNING, "brackets", f"unbalanced {opening}{closing}"))
    pairs = tuple(
        p for p in QUOTES.get(code, ()) if p[0] not in APOSTROPHES + "‚" and p[1] not in APOSTROPHES
    )
    if not _quotes_balance(plain, pairs):
        marks = " ".join(f"{a}…{b}" for a, b in pairs)
        found.append((WARNING, "quotes", f"quotation marks do not pair up ({marks})"))
    if code in QUOTES and code != "en":
        used = {c for c in plain if c in "“”„«»"}
        known = {c for pair in pairs for c in pair}
        if used - known:
            found.append(
                (
                    WARNING,
                    "typography",
                    f"quotation marks {''.join(sorted(used - known))} are not this language's",
                )
            )
    if code == "fr":
        spaced = re.sub(r"https?://\S+|\{\w+\}", "", plain)
        if re.search(r"[^\s\u00a0\u202f][;:!?»]", spaced) or re.search(r"«[^\u00a0\u202f]", spaced):
            found.append(
                (WARNING, "typography", "French needs a no-break space before ; : ! ? » and after «")
            )
    return found


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


def check_entry(
    code: str, entry: polib.POEntry, terms: glossary.Glossary | None
) -> list[tuple[str, str, str]]:
    """(severity, code, message) for one translated entry."""
    msgid, msgstr = entry.msgid, entry.msgstr
    if not msgstr:
        return []
    found = [(ERROR, "unsafe", p) for p in safety.problems(msgid, msgstr)]
    if found:
        return found
    found += _check_markup(msgid, msgstr)
    if "python-brace-format" in entry.flags and set(re.findall(r"\{\w+\}", msgid)) != set(
        re.findall(r"\{\w+\}", msgstr)
    ):
        found.append((ERROR, "placeholders", "placeholders differ from the source's"))
    missing = numbers(msgid) - numbers(msgstr)
    if missing:
        found.append((ERROR, "numbers", f"number(s) {', '.join(sorted(missing))} of the source missing"))
    if terms is not None:
        for term in terms.missing(msgid, msgstr, code):
            accepted = " / ".join(term.accepted(code)[:4])
            found.append(
                (ERROR, "glossary", f"{term.english!r} should be {accepted!r} (locale/glossary.csv)")
            )
    if msgstr == msgid and len(re.findall(r"[^\W\d_]{2,}", _plain(msgid))) >= 3:
        found.append((WARNING, "untranslated", "the translation is a copy of the source"))
    if msgstr != msgstr.strip():
        found.append((WARNING, "whitespace", "leading or trailing whitespace"))
    if re.search(r"[^\S\n]{2,}", msgstr):
        found.append((WARNING, "whitespace", "doubled spaces"))
    found += _check_punctuation(code, msgid, msgstr)
    if len(msgid) >= 40:
        ratio = len(_plain(msgstr)) / max(1, len(_plain(msgid)))
        usual = LENGTH_RATIO.get(code, 1.1)
        if not usual / 2.2 <= ratio <= usual * 2.2:
            found.append((WARNING, "length", f"{ratio:.1f}× the source's length (usual: about {usual:.1f}×)"))
    return found


def check_catalog(config: Config, code: str, terms: glossary.Glossary | None) -> list[Finding]:
    path = config.catalog_path(code)
    catalog = catalogs.read(path, code)
    findings = []
    expected = languages.get(code).plural_forms
    if catalog.po.metadata.get("Plural-Forms", "").replace(" ", "") != expected.replace(" ", ""):
        findings.append(
            Finding(
                path, 1, WARNING, "plural-forms", f"Plural-Forms differs from Weblate's: {expected}", code
            )
        )
    for entry in catalog.entries():
        for severity, kind, message in check_entry(code, entry, terms):
            findings.append(Finding(path, entry.linenum, severity, kind, message, code))
    return findings


def check_source(config: Config) -> list[Finding]:
    letter = document.read_letter(config)
    path = letter.path
    findings = []
    referenced: dict[str, int] = {}
    for block in document.blocks(letter):
        children = block.token.children or []
        for i, tok in enumerate(children):
            if tok.type == "link_open" and tok.attrGet("href") == "#":
                text = children[i + 1].content if i + 1 < len(children) else ""
                findings.append(
                    Finding(
                        path,
                        block.line,
                        WARNING,
                        "missing-link-target",
                        f"link {text!r} has a bare '#' target: fill in the URL",
                    )
                )
            if tok.type == "footnote_ref":
                referenced.setdefault(str(tok.meta["label"]), block.line)
    lines = letter.path.read_text(encoding="utf-8").splitlines()
    # The footnote plugin drops definitions nobody references: read them from the text.
    defined = {
        m.group(1): number for number, ln in enumerate(lines, 1) if (m := re.match(r"\[\^([^\]\s]+)\]:", ln))
    }
    for label, line in defined.items():
        if label not in referenced:
            findings.append(
                Finding(path, line, ERROR, "footnote", f"footnote [^{label}] is defined but never referenced")
            )
    # A reference to an undefined label stays text ("[^9]") in the parsed letter.
    for number, text in enumerate(lines, 1):
        for label in re.findall(r"\[\^([^\]\s]+)\](?!:)", text):
            if label not in defined:
                findings.append(
                    Finding(
                        path,
                        number,
                        ERROR,
                        "footnote",
                        f"footnote [^{label}] is referenced but never defined",
                    )
                )
    return findings


def load_glossary(config: Config) -> glossary.Glossary | None:
    return glossary.load(config.glossary_path) if config.glossary_path.exists() else None


def check(config: Config, codes: list[str] | tuple[str, ...]) -> list[Finding]:
    terms = load_glossary(config)
    findings = check_source(config)
    for code in codes:
        findings += check_catalog(config, code, terms)
    return findings


def summary(findings: list[Finding], codes: list[str] | tuple[str, ...]) -> dict[str, dict[str, int]]:
    """Errors and warnings per language ("source" for the letter itself)."""
    table = {key: {ERROR: 0, WARNING: 0} for key in ("source", *codes)}
    for finding in findings:
        table[finding.language or "source"][finding.severity] += 1
    return table
