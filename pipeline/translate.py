"""Translate: fill what no person has written yet by machine translation, as fuzzy entries for review.

Only two kinds of entry are sent: untranslated ones, and machine translations
nobody touched whose source has changed since (stale, and the text still hashes
to what the machine wrote). Whatever a person wrote or edited stays, reviewed or
not. Each language's catalog is saved after every request, so an interruption
loses at most the request in flight, and a second run carries on.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, Protocol

import polib

from . import catalogs, document, glossary, interface, languages, mt_markup
from .catalogs import Catalog, State
from .config import Config
from .errors import PipelineError, TranslateError

# DeepL's limits per request: 50 texts and 128 KiB of body.
MAX_TEXTS = 50
MAX_REQUEST_BYTES = 128 * 1024
# Room for everything in a request besides texts and context (languages, tags, glossary id).
_REQUEST_OVERHEAD = 2048
# Context is not billed, but it counts toward the body: keep it well inside.
MAX_CONTEXT_BYTES = 16 * 1024
WORKERS = 4
SOURCE_LANG = "EN"
MT_PREFIX = f"{catalogs.MARKER} mt "
# polib wraps a comment line longer than this ("# " + 77 = 79 columns).
MAX_MARKER_LINE = 77
_SHA = re.compile(r"\bsha=([0-9a-f]+)\b")

Key = tuple[str | None, str]
Progress = Callable[[int, int], None]


# -- the engine ----------------------------------------------------------------


class Translated(NamedTuple):
    text: str  # XML, as the engine returned it
    billed_characters: int
    model: str


@dataclass(frozen=True)
class Usage:
    count: int | None
    limit: int | None

    @property
    def remaining(self) -> int | None:
        if self.count is None or self.limit is None:
            return None
        return max(0, self.limit - self.count)


@dataclass(frozen=True)
class GlossaryRef:
    glossary_id: str
    name: str
    created: bool  # False: an existing glossary with the same terms was reused
    deleted: int = 0  # older glossaries of this project removed


class Engine(Protocol):
    """A machine translation service; DeepL's is :class:`pipeline.deepl_engine.DeepLEngine`."""

    name: str

    def translate(
        self,
        texts: Sequence[str],
        *,
        target: str,
        context: str,
        formality: str | None,
        glossary: str | None,
    ) -> list[Translated]:
        """Translate XML texts from English into ``target``: one result per text, in order."""
        ...

    def usage(self) -> Usage: ...

    def targets(self) -> dict[str, bool]:
        """The target codes offered, each with whether it takes a formality."""
        ...

    def glossary_targets(self) -> set[str]:
        """The target codes (without variant: PT, EN) a glossary from English can have."""
        ...

    def glossary(self, name: str, prefix: str, dictionaries: Mapping[str, Mapping[str, str]]) -> GlossaryRef:
        """The glossary called ``name`` (created if missing); others named ``prefix``… are deleted."""
        ...


# -- planning --------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One text to send for one language, and the entries its translation fills."""

    msgid: str
    encoded: mt_markup.Encoded
    keys: tuple[Key, ...]
    group: str  # the section of the letter it belongs to

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


def machine_record(entry: polib.POEntry) -> str | None:
    """The pipeline's record of a machine translation on this entry, if any."""
    lines = [m.removeprefix(MT_PREFIX) for m in catalogs.markers(entry) if m.startswith(MT_PREFIX)]
    return " ".join(lines) or None


def machine_wrote(entry: polib.POEntry) -> bool:
    """Whether the msgstr is still exactly what the machine wrote (nobody edited it)."""
    record = machine_record(entry)
    match = _SHA.search(record) if record else None
    return match is not None and bool(entry.msgstr) and match.group(1) == catalogs.digest(entry.msgstr)


def needs_mt(entry: polib.POEntry) -> bool:
    st = catalogs.state(entry)
    if st is State.UNTRANSLATED:
        return True
    # A person's text (a draft, an edit, a review) is theirs even when the source moved on.
    return st is State.STALE and machine_wrote(entry)


@dataclass(frozen=True)
class _Group:
    name: str
    context: str


def _groups(config: Config) -> dict[Key, _Group]:
    """Per segment, the request group it goes in and the context of that group."""
    letter = document.read_letter(config)
    segments = document.segments(letter, config.root)
    named: dict[Key, str] = {}
    members: dict[str, list[document.Segment]] = {}
    for seg in segments:
        if seg.context == interface.CONTEXT:
            name = "interface"
        elif seg.comment.startswith("footnote"):
            name = "footnotes"
        elif seg.comment.startswith("signatory"):
            name = "signatories"
        elif seg.comment == "heading":
            name = f"section: {seg.msgid}"  # a heading opens its own section
        else:
            name = f"section: {seg.section}"
        named[seg.key] = name
        members.setdefault(name, []).append(seg)
    contexts = {name: _context(name, segs, letter.title) for name, segs in members.items()}
    return {key: _Group(name, contexts[name]) for key, name in named.items()}


def _context(name: str, segs: list[document.Segment], title: str) -> str:
    """What the machine reads around a group's texts: its heading and its text."""
    if name == "interface":
        lines = [f"Interface strings of the PDF and web page of an open letter: {title}"]
        lines += [seg.comment for seg in segs]
    elif name == "footnotes":
        lines = [f"Footnotes of an open letter: {title}"] + [mt_markup.plain_text(s.msgid) for s in segs]
    elif name == "signatories":
        lines = ["Signatories of an open letter: where organisations work, what the people who signed do."]
        lines += [s.msgid for s in segs]
    else:
        heading = name.removeprefix("section: ")
        lines = [mt_markup.plain_text(heading or title)]
        lines += [mt_markup.plain_text(s.msgid) for s in segs if s.msgid not in (heading, title)]
    text = "\n".join(line for line in lines if line)
    while len(json.dumps(text).encode()) > MAX_CONTEXT_BYTES:
        text = text[: len(text) * 3 // 4]
    return text


def _plan_language(config: Config, code: str, groups: dict[Key, _Group]) -> tuple[LanguagePlan, Catalog]:
    path = config.catalog_path(code)
    if not path.exists():
        raise TranslateError(f"no catalog for {code}: run `pipeline update --lang {code}` first", path)
    catalog = catalogs.read(path, code)
    units: dict[tuple[str, bool], list[Key]] = {}
    where: dict[tuple[str, bool], _Group] = {}
    for entry in catalog.entries():
        if not entry.msgid or not needs_mt(entry):
            continue
        # Identical msgids (under different msgctxt) go once.
        ident = (entry.msgid, "python-brace-format" in entry.flags)
        units.setdefault(ident, []).append((entry.msgctxt, entry.msgid))
        where.setdefault(ident, groups.get((entry.msgctxt, entry.msgid), _Group("", "")))
    by_group: dict[_Group, list[Unit]] = {}
    for (msgid, braces), keys in units.items():
        group = where[(msgid, braces)]
        encoded = mt_markup.encode(msgid, brace_format=braces)
        by_group.setdefault(group, []).append(Unit(msgid, encoded, tuple(keys), group.name))
    batches = tuple(b for group, members in by_group.items() for b in _batches(group, members, path))
    return LanguagePlan(code, path, batches), catalog


def _json_size(value: str) -> int:
    # requests encodes JSON bodies with ASCII escapes: measure them the same way.
    return len(json.dumps(value).encode())


def _batches(group: _Group, members: list[Unit], path: Path) -> Iterator[Batch]:
    budget = MAX_REQUEST_BYTES - _REQUEST_OVERHEAD - _json_size(group.context)
    current: list[Unit] = []
    size = 0
    for unit in members:
        cost = _json_size(unit.encoded.xml) + 2
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


def _plan_all(config: Config, codes: Sequence[str]) -> list[tuple[LanguagePlan, Catalog]]:
    groups = _groups(config)
    # Every catalog is read before anything is sent: a broken one stops the run first.
    return [_plan_language(config, code, groups) for code in codes]


# -- results ---------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageResult:
    language: str
    path: Path
    segments: int  # translated and saved (dry run: would be sent)
    characters: int  # billed (dry run: billable)
    undone: int = 0  # segments left untranslated by a stop
    undone_characters: int = 0
    broken: int = 0  # saved with a note: the markup did not survive
    skipped: str = ""  # why the language was not translated at all
    error: PipelineError | None = None


@dataclass(frozen=True)
class GlossaryUse:
    name: str
    created: bool
    deleted: int
    skipped: tuple[str, ...]  # languages translated without it: DeepL has no glossary for them
    missing: tuple[str, ...] = ()  # languages translated without it: the term file has none for them

    @property
    def without(self) -> tuple[str, ...]:
        return self.skipped + self.missing


@dataclass(frozen=True)
class TranslateResult:
    languages: list[LanguageResult]
    dry_run: bool
    remaining: int | None = None  # characters left on the account before the run
    glossary: GlossaryUse | None = None
    error: PipelineError | None = None  # what stopped the run (what was done is saved)
    requests: int = 0

    @property
    def segments(self) -> int:
        return sum(r.segments for r in self.languages)

    @property
    def characters(self) -> int:
        return sum(r.characters for r in self.languages)

    @property
    def undone(self) -> int:
        return sum(r.undone for r in self.languages)

    @property
    def undone_characters(self) -> int:
        return sum(r.undone_characters for r in self.languages)

    def errors(self) -> list[PipelineError]:
        """Everything that went wrong, per language first; empty when everything asked for is done."""
        found = [r.error for r in self.languages if r.error is not None]
        return found + ([self.error] if self.error is not None else [])


# -- the run -----------------------------------------------------------------------


def formality(config: Config, code: str, supports_formality: bool) -> str | None:
    """The formality sent for a language: ``more``/``less`` only where DeepL has it."""
    wanted = config.formality_for(code)
    if wanted == "default":
        return None
    if wanted in ("more", "less") and not supports_formality:
        return f"prefer_{wanted}"
    return wanted


def _base(deepl_code: str) -> str:
    return deepl_code.split("-")[0]


def glossary_dictionaries(terms: glossary.Glossary, codes: Sequence[str]) -> dict[str, dict[str, str]]:
    """DeepL glossary target code -> {English term: the language's term}."""
    tables: dict[str, dict[str, str]] = {}
    for code in codes:
        entries = {t.english: t.targets[code] for t in terms.terms if code in t.targets}
        if entries:
            tables[_base(languages.get(code).deepl)] = entries
    return tables


def glossary_name(prefix: str, dictionaries: Mapping[str, Mapping[str, str]]) -> str:
    content = json.dumps(dictionaries, sort_keys=True, ensure_ascii=False)
    return f"{prefix}{catalogs.digest(content)}"


def _today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


@dataclass
class _Shared:
    """State the language workers share: the stop signal, progress, the first error."""

    total: int
    progress: Progress | None
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    done: int = 0
    requests: int = 0
    error: PipelineError | None = None

    def advance(self, n: int) -> None:
        with self.lock:
            self.done += n
            self.requests += 1
            if self.progress is not None:
                self.progress(self.done, self.total)

    def fail(self, error: PipelineError) -> None:
        with self.lock:
            if self.error is None:
                self.error = error
        self.stop.set()


def translate(
    config: Config,
    codes: Sequence[str],
    engine: Engine,
    *,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> TranslateResult:
    """Machine-translate what needs it in ``codes``; the catalogs are saved as it goes.

    Raises TranslateError before anything is sent (quota too small, key refused);
    a stop in the middle is reported in the result's ``error``, with what was saved.
    """
    planned = _plan_all(config, codes)
    if not any(p.segments for p, _ in planned):
        # Nothing to send: a real run does not even ask the service; a dry run reports the quota.
        remaining = engine.usage().remaining if dry_run else None
        return TranslateResult(
            [LanguageResult(p.language, p.path, 0, 0) for p, _ in planned], dry_run, remaining
        )
    offered = engine.targets()
    skipped = {
        p.language: f"DeepL does not offer {languages.get(p.language).deepl}"
        for p, _ in planned
        if p.segments and languages.get(p.language).deepl not in offered
    }
    work = [(p, c) for p, c in planned if p.segments and p.language not in skipped]
    usage = engine.usage()
    needed = sum(p.characters for p, _ in work)
    if dry_run:
        results = [
            LanguageResult(p.language, p.path, p.segments, p.characters, skipped=skipped.get(p.language, ""))
            for p, _ in planned
        ]
        return TranslateResult(results, True, usage.remaining)
    if usage.remaining is not None and needed > usage.remaining:
        raise TranslateError(
            f"this run needs {needed} characters, but the DeepL account has {usage.remaining} left "
            "this billing period; nothing was sent (translate fewer languages with --lang)"
        )
    glossary_use, glossary_id = _glossary(config, engine, [p.language for p, _ in work])
    shared = _Shared(sum(p.segments for p, _ in work), progress)
    done: dict[str, LanguageResult] = {}
    if work:
        with ThreadPoolExecutor(max_workers=min(WORKERS, len(work)), thread_name_prefix="mt") as pool:
            futures = {
                p.language: pool.submit(
                    _run_language,
                    p,
                    catalog,
                    engine,
                    formality(config, p.language, offered[languages.get(p.language).deepl]),
                    glossary_id if glossary_use and p.language not in glossary_use.without else None,
                    shared,
                )
                for p, catalog in work
            }
            try:
                for code, future in futures.items():
                    done[code] = future.result()
            except BaseException:
                # Ctrl-C: let each worker finish (and save) its request in flight, then stop.
                shared.stop.set()
                raise
    results = [
        done.get(p.language)
        or LanguageResult(
            p.language,
            p.path,
            0,
            0,
            undone=p.segments,
            undone_characters=p.characters,
            skipped=skipped.get(p.language, ""),
        )
        for p, _ in planned
    ]
    error = shared.error
    if error is not None:
        left = [r for r in results if r.undone and not r.skipped]
        where = ", ".join(f"{r.language} {r.undone} ({r.undone_characters} characters)" for r in left)
        error = TranslateError(
            f"{error.message}; stopped with {sum(r.undone for r in left)} segments left: {where}; "
            "what was translated is saved: run the command again to carry on",
            error.path,
            error.line,
        )
    return TranslateResult(results, False, usage.remaining, glossary_use, error, shared.requests)


def _glossary(config: Config, engine: Engine, codes: list[str]) -> tuple[GlossaryUse | None, str | None]:
    """The project's one glossary on the service: reused while the terms are the same."""
    if not codes or not config.glossary_path.exists():
        return None, None
    terms = glossary.load(config.glossary_path)
    supported = engine.glossary_targets()
    covered = [c for c in languages.TARGET_CODES if _base(languages.get(c).deepl) in supported]
    tables = glossary_dictionaries(terms, covered)
    if not tables:
        return None, None
    letter = document.read_letter(config)
    prefix = f"pipeline:{letter.slug}:"
    ref = engine.glossary(glossary_name(prefix, tables), prefix, tables)
    unsupported = tuple(c for c in codes if _base(languages.get(c).deepl) not in supported)
    missing = tuple(c for c in codes if c not in unsupported and _base(languages.get(c).deepl) not in tables)
    return GlossaryUse(ref.name, ref.created, ref.deleted, unsupported, missing), ref.glossary_id


def _run_language(
    lplan: LanguagePlan,
    catalog: Catalog,
    engine: Engine,
    formality_: str | None,
    glossary_id: str | None,
    shared: _Shared,
) -> LanguageResult:
    entries = {(e.msgctxt, e.msgid): e for e in catalog.entries()}
    target = languages.get(lplan.language).deepl
    segments = billed = broken = 0
    error: PipelineError | None = None
    undone = list(lplan.batches)
    while undone and not shared.stop.is_set():
        batch = undone[0]
        try:
            answers = engine.translate(
                [u.encoded.xml for u in batch.units],
                target=target,
                context=batch.context,
                formality=formality_,
                glossary=glossary_id,
            )
            # Engines check this too, but a short list would shift every text into the wrong entry.
            if len(answers) != len(batch.units):
                raise TranslateError(
                    f"{engine.name} returned {len(answers)} results for {len(batch.units)} texts"
                )
        except PipelineError as exc:
            shared.fail(exc)
            break
        day = _today()
        decoded = [mt_markup.decode(u.encoded, a.text) for u, a in zip(batch.units, answers, strict=True)]
        for unit, answer, result in zip(batch.units, answers, decoded, strict=True):
            for key in unit.keys:
                _fill(entries[key], result, engine.name, answer.model, day)
        try:
            catalogs.save(catalog, "PO-Revision-Date")
        except PipelineError as exc:
            error = exc
            if _changed_on_disk(catalog):
                # Someone saved the file meanwhile: their edit wins; this language stops here.
                error = TranslateError(
                    "the file was saved by someone else while machine translation ran; their version is "
                    f"kept, {lplan.language} stopped with {sum(len(b.units) for b in undone)} segments left: "
                    "run the command again",
                    catalog.path,
                )
            break
        broken += sum(1 for result in decoded if not result.ok)
        undone.pop(0)
        segments += len(batch.units)
        billed += sum(a.billed_characters for a in answers)
        shared.advance(len(batch.units))
    left = [u for b in undone for u in b.units]
    return LanguageResult(
        lplan.language,
        lplan.path,
        segments,
        billed,
        undone=len(left),
        undone_characters=sum(u.characters for u in left),
        broken=broken,
        error=error,
    )


def _changed_on_disk(catalog: Catalog) -> bool:
    try:
        return catalog.path.read_bytes() != catalog.original
    except FileNotFoundError:
        return True


def _fill(entry: polib.POEntry, decoded: mt_markup.Decoded, engine: str, model: str, day: str) -> None:
    """Write a machine translation into an entry: fuzzy, with the record of who wrote it."""
    entry.msgstr = decoded.markdown
    entry.flags = ["fuzzy", *[f for f in entry.flags if f != "fuzzy"]]
    entry.previous_msgid = None
    entry.previous_msgctxt = None
    sha = catalogs.digest(decoded.markdown)
    notes = _pack(MT_PREFIX, [engine, f"model={model or 'unknown'}", day, f"sha={sha}"])
    if decoded.problems:
        notes.append(f"{catalogs.MARKER} markup broken by MT, repair it before review:")
        notes += [_fit(f"{catalogs.MARKER} - " + " ".join(p.split())) for p in decoded.problems]
    catalogs.set_markers(entry, notes)


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
