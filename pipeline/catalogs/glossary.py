"""The term glossary: one row per English term, one column per language, and accepted forms.

``locale/glossary.csv``: ``term,translate,note,<one column per language>``. Each
language cell holds ONE term, the form a DeepL glossary gets. ``translate`` is
``no`` for names kept as they are in every language.

``locale/glossary-forms.csv``: ``term,lang,form``. The other forms a check
accepts (cases, plurals, mutations, accent shifts), each listed explicitly;
``lang`` ``en`` lists other spellings of the English term in the source.

A term with ``{n}`` is a reference unit before a cited number: ``Article {n}`` with
``Artikel {n}``, ``{n}. cikk``, ``n.º {n}``. Where the source cites ``Article 5(1)(d)``,
the translation must name the unit in its language's words beside the same number. A row
without ``{n}`` for one reference (``Article 31``: ``Ziffer 31``, when the letter's
"Article 31" is a resolution's paragraph) takes precedence over the pattern for it. A DeepL
glossary holds words, not patterns: ``{n}`` rows stay out of it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

from .. import languages
from ..errors import GlossaryError
from ..files import read_text

FORMS_SUFFIX = "-forms"
# A coalition's glossary holds dozens of terms; DeepL takes 5,000 a dictionary. Beyond that: refused.
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
_FIXED = ("term", "translate", "note")
CITED = "{n}"  # where a reference term holds its number
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Term:
    english: str
    translate: bool
    note: str
    targets: dict[str, str]  # language -> the one glossary form
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> other accepted forms

    def english_forms(self) -> tuple[str, ...]:
        return (self.english, *self.forms.get(languages.SOURCE_CODE, ()))

    def accepted(self, code: str) -> tuple[str, ...]:
        return (self.targets[code], *self.forms.get(code, ()))

    @property
    def cited(self) -> bool:
        """Whether this is a reference unit before a number (``Article {n}``)."""
        return CITED in self.english


def _words(form: str) -> str:
    """A pattern for ``form`` as written in a text: any run of spaces (no-break ones too) for a space,
    and a number not glued to another digit."""
    body = r"\s+".join(re.escape(w) for w in _SPACE.split(form.strip()))
    return (r"(?<!\d)" if form[:1].isdigit() else "") + body + (r"(?!\d)" if form[-1:].isdigit() else "")


@lru_cache(maxsize=1024)
def _written(form: str) -> re.Pattern[str]:
    """``form`` as a pattern of a casefolded text."""
    return re.compile(_words(form.casefold()))


def _blank(match: re.Match[str]) -> str:
    """What an occurrence becomes once counted: as long as it was, so later positions hold."""
    return "\u2063" * len(match.group())


@lru_cache(maxsize=1024)
def _source_pattern(form: str) -> re.Pattern[str]:
    """A word term's English form as a pattern of the source: whole words, any case."""
    return re.compile(r"(?<!\w)" + _words(form) + r"(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=256)
def _citing(form: str) -> re.Pattern[str]:
    """``Article {n}`` as a pattern of the source: the unit, then a number (its first part: 5 of 5(1)(d))."""
    before, after = (part.strip() for part in form.split(CITED))
    number = r"(?<!\d)(\d+)(?!\d)"
    unit = (rf"(?<!\w){_words(before)}\s*" if before else "") + number
    return re.compile(unit + (rf"\s*{_words(after)}(?!\w)" if after else ""), re.IGNORECASE)


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]
    path: Path
    # what the source entries hold, by msgid: check asks for the terms and the citations of each
    _seen: dict[str, tuple[tuple[Term, ...], str]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    @cached_property
    def words(self) -> tuple[Term, ...]:
        """The terms that are words (what a DeepL glossary gets), not ``{n}`` references."""
        return tuple(t for t in self.terms if not t.cited)

    @cached_property
    def _source_patterns(self) -> tuple[tuple[Term, tuple[tuple[str, re.Pattern[str]], ...]], ...]:
        """Each word term, longest first, with its English forms (longest first) as patterns, and
        each form's first word: a text without it cannot hold the form (most entries hold no term)."""
        return tuple(
            (
                term,
                tuple(
                    (_SPACE.split(form.strip())[0].casefold(), _source_pattern(form))
                    for form in sorted(term.english_forms(), key=len, reverse=True)
                ),
            )
            for term in sorted(self.words, key=lambda t: -len(t.english))
        )

    def _literal(self, msgid: str) -> tuple[tuple[Term, ...], str]:
        """The word terms the source uses, and the source with their occurrences blanked out."""
        if msgid in self._seen:
            return self._seen[msgid]
        rest, folded = msgid, msgid.casefold()
        found = []
        for term, forms in self._source_patterns:
            hit = False
            for first, pattern in forms:
                if first in folded and pattern.search(rest):
                    hit = True
                    rest = pattern.sub(_blank, rest)
            if hit:
                found.append(term)
        if len(self._seen) > 4096:
            self._seen.clear()
        self._seen[msgid] = (tuple(found), rest)
        return tuple(found), rest

    def in_source(self, msgid: str) -> list[Term]:
        """Word terms the source text uses; a term inside a longer term's occurrence does not count."""
        return list(self._literal(msgid)[0])

    def cited(self, msgid: str) -> list[tuple[Term, str]]:
        """(reference term, number) for each ``{n}`` reference the source makes, in order, once each.

        A word term's occurrence (``Article 31`` as a row of its own) is not also a citation."""
        rest = self._literal(msgid)[1]
        found: dict[tuple[str, str], tuple[int, Term]] = {}
        for term in sorted((t for t in self.terms if t.cited), key=lambda t: -len(t.english)):
            for form in sorted(term.english_forms(), key=len, reverse=True):
                pattern = _citing(form)
                for match in pattern.finditer(rest):
                    found.setdefault((term.english, match.group(1)), (match.start(), term))
                rest = pattern.sub(_blank, rest)
        return [(term, number) for (_, number), (_, term) in sorted(found.items(), key=lambda kv: kv[1][0])]

    def missing(self, msgid: str, msgstr: str, code: str) -> list[Term]:
        """Word terms of the source whose translation (or an accepted form) the translation lacks."""
        folded = msgstr.casefold()
        return [
            term
            for term in self.in_source(msgid)
            if code in term.targets and not any(_written(f).search(folded) for f in term.accepted(code))
        ]

    def miscited(self, msgid: str, msgstr: str, code: str) -> list[tuple[Term, str]]:
        """References of the source the translation does not make with its language's unit and number."""
        folded = msgstr.casefold()
        return [
            (term, number)
            for term, number in self.cited(msgid)
            if code in term.targets
            and not any(_written(f.replace(CITED, number)).search(folded) for f in term.accepted(code))
        ]


def forms_path(path: Path) -> Path:
    return path.with_name(path.stem + FORMS_SUFFIX + path.suffix)


_NOT_TEXT = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})


def _check_cell(value: str, path: Path, line: int, what: str) -> str:
    if not value:
        raise GlossaryError(f"empty {what}", path, line)
    if value != value.strip():
        raise GlossaryError(f"{what} {value!r} has leading or trailing spaces", path, line)
    odd = next((c for c in value if unicodedata.category(c) in _NOT_TEXT), None)
    if odd is not None:  # a tab, a line break, a control or an invisible: DeepL's glossary refuses them
        raise GlossaryError(f"{what} {value!r} holds U+{ord(odd):04X}: write plain text", path, line)
    if len(value.encode("utf-8")) > 1024:
        raise GlossaryError(f"{what} is longer than 1024 bytes", path, line)
    return value


def _check_cited(value: str, path: Path, line: int, what: str) -> None:
    """A reference term and each of its forms hold ``{n}`` once, beside a word: ``Article {n}``."""
    if value.count(CITED) != 1 or not re.search(r"[^\W\d_]", value.replace(CITED, "")):
        raise GlossaryError(f"{what} {value!r} must hold {CITED} once, with the unit's word", path, line)


def _term(row: list[str], codes: list[str], path: Path, line: int) -> Term:
    if len(row) != len(codes) + len(_FIXED):
        raise GlossaryError(f"{len(row)} cells, the header has {len(codes) + len(_FIXED)}", path, line)
    english = _check_cell(row[0], path, line, "term")
    if row[1] not in ("yes", "no"):
        raise GlossaryError("translate must be yes or no", path, line)
    targets = {
        code: _check_cell(cell, path, line, f"{code} term") for code, cell in zip(codes, row[3:], strict=True)
    }
    if CITED in english or any(CITED in v for v in targets.values()):
        for what, value in (("term", english), *((f"{c} term", v) for c, v in targets.items())):
            _check_cited(value, path, line, what)
    changed = [c for c, v in targets.items() if v != english]
    if row[1] == "no" and changed:
        raise GlossaryError(f"{english!r} is never translated, but the {changed[0]} cell differs", path, line)
    return Term(english, row[1] == "yes", row[2], targets)


def _rows(path: Path, what: str) -> list[list[str]]:
    text = read_text(path, what, MAX_BYTES)
    if text.count("\n") > MAX_ROWS:
        raise GlossaryError(
            f"the {what} is too large: at most {MAX_ROWS} rows and {MAX_BYTES // 2**20} MB", path
        )
    return list(csv.reader(io.StringIO(text)))


def _terms(path: Path) -> tuple[list[str], dict[str, Term]]:
    """The language columns and the terms of ``glossary.csv``."""
    rows = _rows(path, "glossary")
    if not rows or tuple(rows[0][:3]) != _FIXED:
        raise GlossaryError(f"the first row must start with {','.join(_FIXED)}", path, 1)
    codes = rows[0][3:]
    unknown = [c for c in codes if c not in languages.TARGET_CODES]
    if unknown:
        raise GlossaryError(f"unknown language column {unknown[0]!r}", path, 1)
    terms: dict[str, Term] = {}
    for line, row in enumerate(rows[1:], 2):
        if any(row):
            term = _term(row, codes, path, line)
            if term.english.casefold() in {t.casefold() for t in terms}:
                raise GlossaryError(f"duplicate term {term.english!r}", path, line)
            terms[term.english] = term
    return codes, terms


def _forms(path: Path, codes: list[str], terms: dict[str, Term]) -> dict[str, dict[str, list[str]]]:
    """The accepted forms of ``glossary-forms.csv``: term -> language -> forms."""
    forms: dict[str, dict[str, list[str]]] = {}
    if not path.exists():
        return forms
    rows = _rows(path, "glossary forms file")
    if not rows or rows[0] != ["term", "lang", "form"]:
        raise GlossaryError("the first row must be term,lang,form", path, 1)
    for line, row in enumerate(rows[1:], 2):
        if not any(row):
            continue
        if len(row) != 3:
            raise GlossaryError("a row is term,lang,form", path, line)
        if row[0] not in terms:
            raise GlossaryError(f"unknown term {row[0]!r}", path, line)
        if row[1] not in (*codes, languages.SOURCE_CODE):
            raise GlossaryError(f"unknown language {row[1]!r}", path, line)
        form = _check_cell(row[2], path, line, "form")
        if terms[row[0]].cited:
            _check_cited(form, path, line, "form")
        forms.setdefault(row[0], {}).setdefault(row[1], []).append(form)
    return forms


def load(path: Path, forms_file: Path | None = None) -> Glossary:
    """The glossary at ``path`` with the forms file beside it (or ``forms_file``, checked by the caller)."""
    codes, terms = _terms(path)
    forms = _forms(forms_file or forms_path(path), codes, terms)
    result = tuple(
        replace(t, forms={k: tuple(v) for k, v in forms.get(t.english, {}).items()}) for t in terms.values()
    )
    return Glossary(result, path)
