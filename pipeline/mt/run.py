"""The translate stage: send what needs machine translation, and write it back as fuzzy entries.

Each language's catalog is saved after every request, so an interruption
loses at most the request in flight, and a second run carries on.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .. import languages
from ..catalogs import glossary, marks, po
from ..catalogs.marks import MT_PREFIX
from ..catalogs.po import Catalog
from ..config import Config
from ..errors import ChangedMeanwhile, PipelineError, TranslateError
from ..files import project_lock
from ..source import document
from . import xml_codec
from .engine import Engine, Translated, Usage
from .plan import Batch, LanguagePlan, _plan_all

WORKERS = 4
# polib wraps a comment line longer than this ("# " + 77 = 79 columns).
MAX_MARKER_LINE = 77

Progress = Callable[[int, int], None]


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


# -- the run -------------------------------------------------------------------------


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
    return f"{prefix}{marks.digest(content)}"


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


@dataclass(frozen=True)
class _Job:
    """One language's run: its plan, its catalog, and what its requests carry."""

    plan: LanguagePlan
    catalog: Catalog
    formality: str | None
    glossary: str | None


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
    A dry run only reads; a real run holds the project lock.
    """
    with nullcontext() if dry_run else project_lock(config.root):
        return _translate(config, codes, engine, progress, dry_run)


def _translate(
    config: Config, codes: Sequence[str], engine: Engine, progress: Progress | None, dry_run: bool
) -> TranslateResult:
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
    if dry_run:
        results = [
            LanguageResult(p.language, p.path, p.segments, p.characters, skipped=skipped.get(p.language, ""))
            for p, _ in planned
        ]
        return TranslateResult(results, True, usage.remaining)
    _require_quota(sum(p.characters for p, _ in work), usage)
    glossary_use, glossary_id = _glossary(config, engine, [p.language for p, _ in work])
    jobs = [
        _Job(
            p,
            catalog,
            formality(config, p.language, offered[languages.get(p.language).deepl]),
            glossary_id if glossary_use and p.language not in glossary_use.without else None,
        )
        for p, catalog in work
    ]
    shared = _Shared(sum(p.segments for p, _ in work), progress)
    done = _run_all(jobs, engine, shared)
    results = [done.get(p.language) or _untouched(p, skipped.get(p.language, "")) for p, _ in planned]
    error = _stopped(shared.error, results)
    return TranslateResult(results, False, usage.remaining, glossary_use, error, shared.requests)


def _require_quota(needed: int, usage: Usage) -> None:
    if usage.remaining is not None and needed > usage.remaining:
        raise TranslateError(
            f"this run needs {needed} characters, but the DeepL account has {usage.remaining} left "
            "this billing period; nothing was sent (translate fewer languages with --lang)"
        )


def _run_all(jobs: list[_Job], engine: Engine, shared: _Shared) -> dict[str, LanguageResult]:
    """Run the languages, a few at a time; each saves its own catalog after every request."""
    done: dict[str, LanguageResult] = {}
    if not jobs:
        return done
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(jobs)), thread_name_prefix="mt") as pool:
        futures = {job.plan.language: pool.submit(_run_language, job, engine, shared) for job in jobs}
        try:
            for code, future in futures.items():
                done[code] = future.result()
        except BaseException:
            # Ctrl-C: let each worker finish (and save) its request in flight, then stop.
            shared.stop.set()
            raise
    return done


def _untouched(lplan: LanguagePlan, skipped: str) -> LanguageResult:
    return LanguageResult(
        lplan.language,
        lplan.path,
        0,
        0,
        undone=lplan.segments,
        undone_characters=lplan.characters,
        skipped=skipped,
    )


def _stopped(error: PipelineError | None, results: list[LanguageResult]) -> PipelineError | None:
    """What stopped the run, with what is left to do."""
    if error is None:
        return None
    left = [r for r in results if r.undone and not r.skipped]
    where = ", ".join(f"{r.language} {r.undone} ({r.undone_characters} characters)" for r in left)
    return TranslateError(
        f"{error.message}; stopped with {sum(r.undone for r in left)} segments left: {where}; "
        "what was translated is saved: run the command again to carry on",
        error.path,
        error.line,
    )


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
    prefix = f"pipeline:{document.slug(config)}:"
    ref = engine.glossary(glossary_name(prefix, tables), prefix, tables)
    unsupported = tuple(c for c in codes if _base(languages.get(c).deepl) not in supported)
    missing = tuple(c for c in codes if c not in unsupported and _base(languages.get(c).deepl) not in tables)
    return GlossaryUse(ref.name, ref.created, ref.deleted, unsupported, missing), ref.glossary_id


def _send(job: _Job, batch: Batch, engine: Engine) -> list[Translated]:
    answers = engine.translate(
        [u.encoded.xml for u in batch.units],
        target=languages.get(job.plan.language).deepl,
        context=batch.context,
        formality=job.formality,
        glossary=job.glossary,
    )
    # Engines check this too, but a short list would shift every text into the wrong entry.
    if len(answers) != len(batch.units):
        raise TranslateError(f"{engine.name} returned {len(answers)} results for {len(batch.units)} texts")
    return answers


def _save(job: _Job, undone: list[Batch]) -> PipelineError | None:
    """Save the catalog; the error that stops this language, if it cannot be saved."""
    try:
        po.save(job.catalog, "PO-Revision-Date")
    except ChangedMeanwhile:
        # Someone saved the file meanwhile: their edit wins; this language stops here.
        left = sum(len(b.units) for b in undone)
        return TranslateError(
            "the file was saved by someone else while machine translation ran; their version is "
            f"kept, {job.plan.language} stopped with {left} segments left: run the command again",
            job.catalog.path,
        )
    except PipelineError as exc:
        return exc
    return None


def _run_language(job: _Job, engine: Engine, shared: _Shared) -> LanguageResult:
    entries = {(e.msgctxt, e.msgid): e for e in job.catalog.entries()}
    segments = billed = broken = 0
    error: PipelineError | None = None
    undone = list(job.plan.batches)
    while undone and not shared.stop.is_set():
        batch = undone[0]
        try:
            answers = _send(job, batch, engine)
        except PipelineError as exc:
            shared.fail(exc)
            break
        day = _today()
        decoded = [xml_codec.decode(u.encoded, a.text) for u, a in zip(batch.units, answers, strict=True)]
        for unit, answer, result in zip(batch.units, answers, decoded, strict=True):
            for key in unit.keys:
                _fill(entries[key], result, engine.name, answer.model, day)
        error = _save(job, undone)
        if error is not None:
            break
        broken += sum(1 for result in decoded if not result.ok)
        undone.pop(0)
        segments += len(batch.units)
        billed += sum(a.billed_characters for a in answers)
        shared.advance(len(batch.units))
    left = [u for b in undone for u in b.units]
    return LanguageResult(
        job.plan.language,
        job.plan.path,
        segments,
        billed,
        undone=len(left),
        undone_characters=sum(u.characters for u in left),
        broken=broken,
        error=error,
    )


def _fill(entry: polib.POEntry, decoded: xml_codec.Decoded, engine: str, model: str, day: str) -> None:
    """Write a machine translation into an entry: fuzzy, with the record of who wrote it."""
    entry.msgstr = decoded.markdown
    entry.flags = ["fuzzy", *[f for f in entry.flags if f != "fuzzy"]]
    entry.previous_msgid = None
    entry.previous_msgctxt = None
    sha = marks.digest(decoded.markdown)
    notes = _pack(MT_PREFIX, [engine, f"model={model or 'unknown'}", day, f"sha={sha}"])
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
