"""The translate stage: send what needs machine translation, and write it back as fuzzy entries.

Each language's catalog is saved after every request, so an interruption
loses at most the request in flight, and a second run carries on.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field

from .. import languages
from ..catalogs import po
from ..catalogs.po import Catalog
from ..config import Config
from ..errors import ChangedMeanwhile, PipelineError, TranslateError
from ..files import project_lock
from ..memory.recall import recall
from . import text_codec
from .engine import Engine, LanguageFeatures, Languages, Translated, Usage
from .glossaries import glossary_for
from .plan import Batch, Key, LanguagePlan, _plan_all, recode
from .results import LanguageResult, Sending, TranslateResult
from .writeback import Tally, write_back

WORKERS = 4

Progress = Callable[[int, int], None]


def formality(config: Config, code: str, supports_formality: bool) -> str | None:
    """The formality sent for a language: only where the target has the feature."""
    wanted = config.formality_for(code)
    return wanted if supports_formality and wanted != "default" else None


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
    features: LanguageFeatures
    formality: str | None
    glossary: str | None
    model_type: str


def translate(
    config: Config,
    codes: Sequence[str],
    engine: Engine,
    *,
    progress: Progress | None = None,
    dry_run: bool = False,
    memory: bool = True,
) -> TranslateResult:
    """Machine-translate what needs it in ``codes``; the catalogs are saved as it goes.

    With ``memory``, the translation memory fills what it can first (``memory.recall``),
    and only the rest is sent.

    Raises TranslateError before anything is sent (quota too small, key refused);
    a stop in the middle is reported in the result's ``error``, with what was saved.
    A dry run only reads; a real run holds the project lock.
    """
    with nullcontext() if dry_run else project_lock(config.root):
        # The memory first: what it fills is never sent (a dry run only counts it out).
        recalled = tuple(recall(config, codes, dry_run=dry_run)) if memory else ()
        skip = {r.language: r.keys for r in recalled} if dry_run else {}
        result = _translate(config, codes, engine, progress, dry_run, skip)
        return dataclasses.replace(result, recalled=recalled)


def _translate(
    config: Config,
    codes: Sequence[str],
    engine: Engine,
    progress: Progress | None,
    dry_run: bool,
    skip: Mapping[str, frozenset[Key]],
) -> TranslateResult:
    planned = _plan_all(config, codes, skip)
    if not any(p.segments for p, _ in planned):
        # Nothing to send: a real run does not even ask the service; a dry run reports the quota.
        remaining = engine.usage().remaining if dry_run else None
        return TranslateResult(
            [LanguageResult(p.language, p.path, 0, 0) for p, _ in planned], dry_run, remaining
        )
    offered = engine.languages()
    skipped = {
        p.language: f"DeepL does not offer {languages.get(p.language).deepl}"
        for p, _ in planned
        if p.segments and languages.get(p.language).deepl not in offered.targets
    }
    work = [(_codec_for(p, offered), c) for p, c in planned if p.segments and p.language not in skipped]
    usage = engine.usage()
    if dry_run:
        return TranslateResult(
            _dry(config, planned, work, offered, skipped), True, usage.remaining, note=offered.note
        )
    _require_quota(sum(p.characters for p, _ in work if not _features(p, offered).beta), usage)
    glossary_use, glossary_id = glossary_for(config, engine, [p.language for p, _ in work], offered)
    jobs = [
        _Job(
            p,
            catalog,
            _features(p, offered),
            formality(config, p.language, _features(p, offered).formality),
            glossary_id if glossary_use and p.language not in glossary_use.without else None,
            config.model_type,
        )
        for p, catalog in work
    ]
    shared = _Shared(sum(p.segments for p, _ in work), progress)
    done = _run_all(jobs, engine, shared)
    results = [done.get(p.language) or _untouched(p, skipped.get(p.language, "")) for p, _ in planned]
    error = _stopped(shared.error, results)
    return TranslateResult(
        results, False, usage.remaining, glossary_use, error, shared.requests, note=offered.note
    )


def _features(lplan: LanguagePlan, offered: Languages) -> LanguageFeatures:
    return offered.targets[languages.get(lplan.language).deepl]


def _codec_for(lplan: LanguagePlan, offered: Languages) -> LanguagePlan:
    """The plan as it is sent: XML where the target has tag handling, plain text elsewhere."""
    return lplan if _features(lplan, offered).tag_handling else recode(lplan, text_codec.encode)


def _dry(
    config: Config,
    planned: list[tuple[LanguagePlan, Catalog]],
    work: list[tuple[LanguagePlan, Catalog]],
    offered: Languages,
    skipped: dict[str, str],
) -> list[LanguageResult]:
    """What a run would send, per language, with the features that decide how."""
    sent = {p.language: p for p, _ in work}
    results = []
    for lplan, _ in planned:
        shown = sent.get(lplan.language, lplan)
        features = offered.targets.get(languages.get(lplan.language).deepl)
        how = None
        if features is not None:
            how = Sending(features, formality(config, lplan.language, features.formality), config.model_type)
        results.append(
            LanguageResult(
                lplan.language,
                lplan.path,
                shown.segments,
                shown.characters,
                skipped=skipped.get(lplan.language, ""),
                sending=how,
            )
        )
    return results


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


def _send(job: _Job, batch: Batch, engine: Engine) -> list[Translated]:
    answers = engine.translate(
        [u.encoded.payload for u in batch.units],
        target=job.features.code,
        context=batch.context,
        formality=job.formality,
        glossary=job.glossary,
        tag_handling=job.features.tag_handling,
        model_type=job.model_type,
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
    tally = Tally()
    error: PipelineError | None = None
    undone = list(job.plan.batches)
    while undone and not shared.stop.is_set():
        batch = undone[0]
        try:
            answers = _send(job, batch, engine)
        except PipelineError as exc:
            shared.fail(exc)
            break
        write_back(entries, batch, answers, engine.name, tally)
        error = _save(job, undone)
        if error is not None:
            break
        undone.pop(0)
        tally.segments += len(batch.units)
        tally.billed += sum(a.billed_characters for a in answers)
        shared.advance(len(batch.units))
    left = [u for b in undone for u in b.units]
    return LanguageResult(
        job.plan.language,
        job.plan.path,
        tally.segments,
        tally.billed,
        undone=len(left),
        undone_characters=sum(u.characters for u in left),
        broken=tally.broken,
        error=error,
        refused=tuple(tally.refused),
    )
