"""What the commands print: results on stdout, progress and warnings on stderr, in one place."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .config import Config
from .errors import relative

if TYPE_CHECKING:  # the result types, without importing their stages at start-up
    from .checks.catalog import CheckReport
    from .memory.recall import Recalled
    from .mt.run import TranslateResult
    from .publish.parallel import Outcome, PublishResult
    from .publish.status import LanguageStatus


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)


def rel(path: Path) -> str:
    """``path`` as the coordinator typed it: relative to where the command runs."""
    return relative(path, Path.cwd())


class Progress:
    """A progress bar on stderr, shown from the first report on."""

    def __init__(self, label: str, length: int | None = None) -> None:
        self.label = label
        self.bar: Any = None
        if length is not None:
            self._start(length)

    def _start(self, length: int) -> None:
        self.bar = click.progressbar(length=length, label=self.label, file=sys.stderr)
        self.bar.__enter__()

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            self._start(total)
        self.bar.update(done - self.bar.pos)

    def step(self, *_: Any) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def glossary(config: Config, result: TranslateResult) -> None:
    if result.note:
        click.echo(f"warning: {result.note}", err=True)
    if result.glossary is None:
        return
    g = result.glossary
    state = "created" if g.created else "reused"
    old = f", {g.deleted} old one(s) deleted" if g.deleted else ""
    click.echo(f"glossary {g.name}: {state}{old}", err=True)
    if g.skipped:
        click.echo(f"glossary: DeepL has none for {', '.join(g.skipped)}; translated without it", err=True)
    if g.missing:
        names = ", ".join(g.missing)
        click.echo(f"glossary: {rel(config.glossary_path)} has no terms for {names}", err=True)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def dry_run(result: TranslateResult) -> None:
    for r in result.languages:
        if r.skipped:
            continue
        line = f"{r.language}: {r.segments} segments, {r.characters} characters"
        if r.sending is not None:
            how = r.sending
            line += (
                f"; tag handling {_yes(how.features.tag_handling)}, glossary {_yes(how.features.glossary)}, "
                f"formality {how.formality or 'none'}, billed {_yes(how.billed)}"
                + ("" if how.billed else " (a beta language)")
            )
        click.echo(line)
    click.echo(f"total: {result.segments} segments, {result.characters} characters (dry run: nothing sent)")
    left = "unknown" if result.remaining is None else str(result.remaining)
    click.echo(f"DeepL account: {left} characters left this billing period")


def translated(result: TranslateResult) -> None:
    for r in result.languages:
        if r.skipped:
            continue
        if not (r.segments or r.undone or r.error):
            click.echo(f"{rel(r.path)}: nothing to translate")
            continue
        line = f"{rel(r.path)}: {r.segments} segments translated, {r.characters} characters billed"
        if r.broken:
            line += f"; {r.broken} with broken markup (fuzzy, with a note)"
        if r.refused:
            line += f"; {len(r.refused)} answers refused, left untranslated"
        if r.undone:
            line += f"; {r.undone} left ({r.undone_characters} characters)"
        click.echo(line)
        for msgid, why in r.refused:
            short = msgid if len(msgid) <= 50 else msgid[:49] + "…"
            click.echo(f"warning: {r.language}: the answer for {short!r} was not written: {why}", err=True)
    click.echo(f"total: {result.characters} characters billed")


def document(config: Config, documents: int) -> None:
    """A heading for one document's lines, where a command covers several."""
    if documents > 1:
        click.echo(f"== {config.document_name} ({rel(config.source_path)})")


def recalled(results: Sequence[Recalled], dry_run: bool) -> None:
    """What the translation memory filled, per language."""
    verb = "would fill" if dry_run else "filled"
    for r in results:
        if r.exact or r.near:
            origins = ", ".join(f"{n} from {origin}" for origin, n in sorted(r.by_origin.items()))
            click.echo(
                f"{rel(r.path)}: memory {verb} {r.exact} exact and {r.near} near matches ({origins}), "
                "fuzzy for review"
            )


def rendered(result: PublishResult, many: bool) -> bool:
    """A render's outcome per language and the table of many; whether anything failed."""
    if not many and result.failed:
        fail(result.outcomes[0].error)  # one language: its error is the command's
        return True
    for one in result.outcomes:
        language(one)
    if many:
        click.echo(f"{'lang':<5} {'state':<11} {'pages':>5} {'size':>9} {'seconds':>8}")
        for o in result.outcomes:
            pages = str(o.result.pages) if o.result and o.result.pages else "-"
            click.echo(f"{o.language:<5} {o.state:<11} {pages:>5} {o.size / 1024:>7.0f}KB {o.seconds:>8.2f}")
    if result.index is not None:
        click.echo(rel(result.index))
    if result.index_error:
        fail(f"the download page was not written: {result.index_error}")
    if result.failed:
        fail(f"{len(result.failed)} language(s) failed: {' '.join(result.failed)}")
    return bool(result.failed or result.index_error)


def language(outcome: Outcome) -> None:
    """What happened to one language of a render."""
    r = outcome.result
    if r is None:  # failed
        click.echo(f"{outcome.language}: failed: {outcome.error}", err=True)
        return
    for path in r.paths:
        click.echo(f"{rel(path)}{' (up to date)' if r.skipped else ''}")
    if r.outdated:
        click.echo(
            f"warning: {r.language}: {r.outdated} segments of the source are not in the catalog "
            "(it is older than the source): run pipeline extract and pipeline update",
            err=True,
        )
    for finding in r.findings:
        click.echo(finding.format(Path.cwd()), err=True)
    if r.unreviewed:
        click.echo(f"{r.language}: {r.unreviewed} unreviewed entries used; marked as a draft", err=True)
    if r.approved:
        click.echo(
            f"{r.language}: {r.approved} entries approved unchanged from a draft or machine text "
            "(fuzzy cleared, not edited)",
            err=True,
        )
    if r.fallbacks:
        click.echo(f"{r.language}: {len(r.fallbacks)} entries printed in English:", err=True)
        for msgid, st in r.fallbacks:
            short = msgid if len(msgid) <= 60 else msgid[:59] + "…"
            click.echo(f"  {st.value}: {short}", err=True)


def status(rows: list[LanguageStatus]) -> None:
    """The status table: one row a language; a catalog that cannot be read, as its error."""
    columns = f"{'reviewed':>9}{'approved':>9}{'unreviewed':>11}{'stale':>6}{'untransl.':>10}{'% words':>8}"
    click.echo(f"{'lang':<5}{columns}  PDF")
    for r in rows:
        if r.error is not None:
            click.echo(f"{r.language:<5} (not read)")
            fail(r.error.describe(Path.cwd()))
            continue
        pdf = "up to date" if r.pdf_up_to_date else "out of date"
        note = "" if r.catalog_up_to_date else "  (catalog behind the source: run pipeline update)"
        click.echo(
            f"{r.language:<5}{r.reviewed:>9}{r.approved:>9}{r.unreviewed:>11}{r.stale:>6}{r.untranslated:>10}"
            f"{r.percent_reviewed:>7.0f}%  {pdf}{note}"
        )


def check(result: CheckReport) -> None:
    """One line a finding (an error's way to accept it below it), then a summary per language."""
    from .checks.findings import ERROR, summary

    for finding in result.findings:
        click.echo(finding.format(Path.cwd()))
        if finding.severity == ERROR and finding.accept:
            click.echo(f"  (a reviewer who accepts it adds the translator comment: # {finding.accept})")
    codes = [lang.language for lang in result.languages]
    for code, counts in summary(result.findings, codes).items():
        accepted = f", {counts['accepted']} accepted" if counts["accepted"] else ""
        click.echo(f"{code}: {counts['error']} errors, {counts['warning']} warnings{accepted}", err=True)
    for lang in result.languages:  # last: what kept a language from being checked at all
        if lang.error is not None:
            fail(lang.error.describe(Path.cwd()))
