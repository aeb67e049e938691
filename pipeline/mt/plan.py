"""Planning: which entries need machine translation, grouped by section into requests.

Only two kinds of entry are sent: untranslated ones, and machine translations
nobody touched whose source has changed since (stale, and the text still hashes
to what the machine wrote). Whatever a person wrote or edited stays.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import polib

from ..catalogs import marks, po
from ..catalogs.marks import State
from ..catalogs.po import Catalog
from ..config import Config
from ..errors import TranslateError
from ..source import document, interface, markup
from ..source.segments import Kind, Segment, segments
from . import text_codec, xml_codec

# DeepL's limits per request: 50 texts and 128 KiB of body.
MAX_TEXTS = 50
MAX_REQUEST_BYTES = 128 * 1024
# Room for everything in a request besides texts and context (languages, tags, glossary id).
_REQUEST_OVERHEAD = 2048
# Context is not billed, but it counts toward the body: keep it well inside.
MAX_CONTEXT_BYTES = 16 * 1024

Key = tuple[str | None, str]
Encoded = xml_codec.Encoded | text_codec.EncodedText
Encoder = Callable[..., Encoded]  # a codec's encode(msgid, *, brace_format, plain)


def plain_text(msgid: str) -> str:
    """What a reader sees of a msgid, without URLs: context for the machine."""
    return " ".join(markup.visible_text(msgid).split())


@dataclass(frozen=True)
class Unit:
    """One text to send for one language, and the entries its translation fills."""

    msgid: str
    encoded: Encoded
    keys: tuple[Key, ...]
    group: str  # the section of the letter it belongs to
    brace_format: bool = False
    plain: bool = False  # an interface string whose text would read differently as Markdown

    @property
    def characters(self) -> int:
        return self.encoded.characters


@dataclass(frozen=True)
class Batch:
    """One request: texts of one section, with that section as context."""

    group: str
    context: str
    units: tuple[Unit, ...]

    @property
    def characters(self) -> int:
        return sum(u.characters for u in self.units)


@dataclass(frozen=True)
class LanguagePlan:
    language: str
    path: Path
    batches: tuple[Batch, ...]

    @property
    def units(self) -> list[Unit]:
        return [u for b in self.batches for u in b.units]

    @property
    def segments(self) -> int:
        return sum(len(b.units) for b in self.batches)

    @property
    def characters(self) -> int:
        return sum(b.characters for b in self.batches)


def needs_mt(entry: polib.POEntry) -> bool:
    st = marks.state(entry)
    if st is State.UNTRANSLATED:
        return True
    # A person's text (a draft, an edit, a review) is theirs even when the source moved on.
    return st is State.STALE and marks.machine_wrote(entry)


@dataclass(frozen=True)
class _Group:
    name: str
    context: str


def _groups(config: Config) -> dict[Key, _Group]:
    """Per segment, the request group it goes in and the context of that group."""
    doc = document.read(config)
    named: dict[Key, str] = {}
    members: dict[str, list[Segment]] = {}
    for seg in segments(doc, config.root):
        name = _group_name(seg)
        named[seg.key] = name
        members.setdefault(name, []).append(seg)
    contexts = {name: _context(name, segs, doc.title) for name, segs in members.items()}
    return {key: _Group(name, contexts[name]) for key, name in named.items()}


def _group_name(seg: Segment) -> str:
    if seg.kind is Kind.INTERFACE:
        return "interface"
    if seg.kind is Kind.FOOTNOTE:
        return "footnotes"
    if seg.kind in (Kind.SCOPE, Kind.ROLE):
        return "signatories"
    if seg.kind is Kind.HEADING:
        return f"section: {seg.msgid}"  # a heading opens its own section
    return f"section: {seg.section}"


def _context(name: str, segs: list[Segment], title: str) -> str:
    """What the machine reads around a group's texts: its heading and its text."""
    if name == "interface":
        lines = [f"Interface strings of the PDF and web page of an open letter: {title}"]
        lines += [seg.comment for seg in segs]
    elif name == "footnotes":
        lines = [f"Footnotes of an open letter: {title}"] + [plain_text(s.msgid) for s in segs]
    elif name == "signatories":
        lines = ["Signatories of an open letter: where organisations work, what the people who signed do."]
        lines += [s.msgid for s in segs]
    else:
        heading = name.removeprefix("section: ")
        lines = [plain_text(heading or title)]
        lines += [plain_text(s.msgid) for s in segs if s.msgid not in (heading, title)]
    text = "\n".join(line for line in lines if line)
    while len(json.dumps(text).encode()) > MAX_CONTEXT_BYTES:
        text = text[: len(text) * 3 // 4]
    return text


def _plan_language(
    config: Config, code: str, groups: dict[Key, _Group], skip: frozenset[Key] = frozenset()
) -> tuple[LanguagePlan, Catalog]:
    path = config.catalog_path(code)
    catalog = po.read(path, code)
    units: dict[tuple[str, bool, bool], list[Key]] = {}
    where: dict[tuple[str, bool, bool], _Group] = {}
    for entry in catalog.entries():
        if not entry.msgid or not needs_mt(entry) or (entry.msgctxt, entry.msgid) in skip:
            continue
        # Identical msgids (under different msgctxt) go once, unless an interface string (text)
        # would read differently as Markdown.
        plain = entry.msgctxt == interface.CONTEXT and markup.visible_text(entry.msgid) != entry.msgid
        ident = (entry.msgid, "python-brace-format" in entry.flags, plain)
        units.setdefault(ident, []).append((entry.msgctxt, entry.msgid))
        where.setdefault(ident, groups.get((entry.msgctxt, entry.msgid), _Group("", "")))
    by_group: dict[_Group, list[Unit]] = {}
    for (msgid, braces, plain), keys in units.items():
        group = where[(msgid, braces, plain)]
        encoded = xml_codec.encode(msgid, brace_format=braces, plain=plain)
        by_group.setdefault(group, []).append(Unit(msgid, encoded, tuple(keys), group.name, braces, plain))
    batches = tuple(b for group, members in by_group.items() for b in _batches(group, members, path))
    return LanguagePlan(code, path, batches), catalog


def recode(lplan: LanguagePlan, encode: Encoder) -> LanguagePlan:
    """The same plan with another codec (a target without tag handling gets plain text)."""
    groups: dict[_Group, list[Unit]] = {}
    for batch in lplan.batches:
        for unit in batch.units:
            encoded = encode(unit.msgid, brace_format=unit.brace_format, plain=unit.plain)
            groups.setdefault(_Group(batch.group, batch.context), []).append(replace(unit, encoded=encoded))
    batches = tuple(b for group, members in groups.items() for b in _batches(group, members, lplan.path))
    return replace(lplan, batches=batches)


def _json_size(value: str) -> int:
    # requests encodes JSON bodies with ASCII escapes: measure them the same way.
    return len(json.dumps(value).encode())


def _batches(group: _Group, members: list[Unit], path: Path) -> Iterator[Batch]:
    budget = MAX_REQUEST_BYTES - _REQUEST_OVERHEAD - _json_size(group.context)
    current: list[Unit] = []
    size = 0
    for unit in members:
        cost = _json_size(unit.encoded.payload) + 2
        if cost > budget:
            raise TranslateError(
                f"one segment is too long for a DeepL request ({cost:,} bytes): split it; "
                f"it starts {unit.msgid[:40]!r}",
                path,
            )
        if current and (len(current) == MAX_TEXTS or size + cost > budget):
            yield Batch(group.name, group.context, tuple(current))
            current, size = [], 0
        current.append(unit)
        size += cost
    if current:
        yield Batch(group.name, group.context, tuple(current))


def plan(config: Config, codes: Sequence[str]) -> list[LanguagePlan]:
    """Per language, what would be sent: the entries that need machine translation, in requests."""
    return [p for p, _ in _plan_all(config, codes)]


def _plan_all(
    config: Config, codes: Sequence[str], skip: Mapping[str, frozenset[Key]] | None = None
) -> list[tuple[LanguagePlan, Catalog]]:
    """Each language's plan; ``skip``: entries, per language, that something else fills first."""
    groups = _groups(config)
    # Every catalog is read before anything is sent: a broken one stops the run first.
    return [_plan_language(config, code, groups, (skip or {}).get(code, frozenset())) for code in codes]
