"""The render stage: many languages in parallel worker processes, incrementally, then the download page."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..errors import PipelineError
from ..files import writes_project
from ..source import document
from . import downloads, state
from .language import RenderResult, Source, check_final, read_source, render_language


@dataclass(frozen=True)
class Outcome:
    """What happened to one language."""

    language: str
    state: str  # "rendered", "up to date" or "failed"
    result: RenderResult | None = None
    error: str = ""
    seconds: float = 0.0

    @property
    def size(self) -> int:
        if self.result is None:
            return 0
        return sum(p.stat().st_size for p in self.result.paths if p.exists())


@dataclass(frozen=True)
class PublishResult:
    outcomes: list[Outcome]
    index: Path | None = None
    sums: Path | None = None
    failed: list[str] = field(default_factory=list)
    index_error: str = ""  # why the download page could not be written


def _render_one(
    config: Config, code: str, formats: tuple[str, ...], force: bool, final: bool, source: Source | None
) -> Outcome:
    start = time.perf_counter()
    try:
        result = render_language(config, code, formats, force=force, final=final, source=source)
    except PipelineError as exc:
        return Outcome(code, "failed", error=exc.describe(config.root), seconds=time.perf_counter() - start)
    except Exception as exc:  # a bug in one language must not stop the others
        return Outcome(
            code, "failed", error=f"{type(exc).__name__}: {exc}", seconds=time.perf_counter() - start
        )
    state = "up to date" if result.skipped else "rendered"
    return Outcome(code, state, result, seconds=time.perf_counter() - start)


def default_jobs(config: Config) -> int:
    return config.jobs or os.cpu_count() or 1


@writes_project
def render(
    config: Config,
    codes: list[str],
    formats: tuple[str, ...] = ("pdf",),
    *,
    jobs: int = 0,
    force: bool = False,
    final: bool = False,
    index: bool = False,
    progress: Callable[[Outcome], None] | None = None,
) -> PublishResult:
    """Render the documents of ``codes``; with ``index``, write output/index.html and SHA256SUMS afterwards.

    Languages whose inputs did not change are skipped without starting a worker
    or importing WeasyPrint. One language that fails does not stop the others.
    """
    source = _read_once(config) if final else None
    if final:
        check_final(config, codes, source)
    report = progress or (lambda outcome: None)
    outcomes: dict[str, Outcome] = {}
    todo = []
    for code in codes:
        if not force and not final and state.up_to_date(config, code, formats):
            slug_paths = tuple(state.output_path(config, code, document.slug(config), f) for f in formats)
            outcomes[code] = Outcome(code, "up to date", RenderResult(code, slug_paths, True, 0))
            report(outcomes[code])
        else:
            todo.append(code)
    workers = min(jobs or default_jobs(config), len(todo))
    if todo and source is None:
        source = _read_once(config)
    for outcome in _render_all(config, todo, formats, workers, force, final, source):
        outcomes[outcome.language] = outcome
        report(outcome)
    ordered = [outcomes[code] for code in codes]
    failed = [o.language for o in ordered if o.state == "failed"]
    index_path = sums_path = None
    index_error = ""
    if index:
        try:
            index_path, sums_path = downloads.write(config)
        except PipelineError as exc:  # the languages' results still count, and are reported
            index_error = exc.describe(config.root)
    return PublishResult(ordered, index_path, sums_path, failed, index_error)


def _read_once(config: Config) -> Source | None:
    """The document and glossary every language of this render shares; None where they cannot be
    read: each language then reads them itself and reports why, as it does alone."""
    try:
        return read_source(config)
    except Exception:  # a bug in reading stops no language either: each reads and reports it
        return None


_WORKER_SOURCE: Source | None = None  # a render worker's copy of the parent's Source


def _start_worker(source: Source | None) -> None:
    global _WORKER_SOURCE
    _WORKER_SOURCE = source


def _render_in_worker(
    config: Config, code: str, formats: tuple[str, ...], force: bool, final: bool
) -> Outcome:
    return _render_one(config, code, formats, force, final, _WORKER_SOURCE)


def _render_all(
    config: Config,
    todo: list[str],
    formats: tuple[str, ...],
    workers: int,
    force: bool,
    final: bool,
    source: Source | None,
) -> Iterator[Outcome]:
    """Each language's outcome as it finishes: in this process, or in forked workers."""
    if workers <= 1:
        for code in todo:
            yield _render_one(config, code, formats, force, final, source)
        return
    # fork: the workers inherit the parsed modules, and the source as initializer arguments
    # (not pickled once a language); each imports WeasyPrint once.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(source,)
    ) as pool:
        futures: dict[Future[Outcome], str] = {
            pool.submit(_render_in_worker, config, code, formats, force, final): code for code in todo
        }
        for future in as_completed(futures):
            yield future.result()
