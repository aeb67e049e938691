"""The command line: parse options, call one stage, print its result. Errors become exit codes here."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__, languages
from .config import PDF_VARIANTS, Config


def fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)


class Pipeline(click.Group):
    """The command group; its ``invoke`` is the one place where errors become exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import PipelineError

        try:
            return super().invoke(ctx)
        except PipelineError as exc:
            fail(exc.describe(Path.cwd()))
        except OSError as exc:  # a stage missed one: still name the file, never a traceback
            from .errors import relative

            where = f"{relative(Path(exc.filename), Path.cwd())}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc}")
        ctx.exit(1)


def _config(ctx: click.Context) -> Config:
    from .config import load

    return load(ctx.obj["root"])


def _codes(
    config: Config, lang: tuple[str, ...], all_: bool, *, required: bool, source: bool = False
) -> list[str]:
    """The languages asked for, checked; all configured ones when none are named and not required."""
    valid = [lang.code for lang in languages.LANGUAGES if source or lang.code != languages.SOURCE_CODE]
    for code in lang:
        if code not in valid:
            raise click.UsageError(f"unknown language {code!r}; valid: {' '.join(valid)}")
    if lang and all_:
        raise click.UsageError("give --lang or --all, not both")
    if all_:
        return languages.protocol_order([*config.languages, *([languages.SOURCE_CODE] if source else [])])
    if not lang:
        if required:
            raise click.UsageError("say which languages: --lang de [--lang fr ...] or --all")
        return list(config.languages)
    return languages.protocol_order(list(lang))


lang_option = click.option(
    "--lang", "-l", "lang", multiple=True, metavar="CODE", help="A language code (repeatable), e.g. de."
)


@click.group(cls=Pipeline, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pipeline")
@click.option(
    "--project",
    "-C",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    help="The project folder (holding pyproject.toml). Default: here.",
)
@click.pass_context
def main(ctx: click.Context, project: Path) -> None:
    """Publish one open letter in the 24 official languages of the EU.

    source/letter.md -> extract -> update -> translate -> check -> render.
    """
    ctx.obj = {"root": project}


@main.command()
@click.pass_context
def extract(ctx: click.Context) -> None:
    """Write locale/letter.pot from the source letter and signatories.

    Example: pipeline extract
    """
    from .catalogs.extract import extract as run

    result = run(_config(ctx))
    state = "written" if result.written else "unchanged"
    click.echo(f"{_rel(result.path)}: {result.entries} entries, {state}")


@main.command()
@lang_option
@click.pass_context
def update(ctx: click.Context, lang: tuple[str, ...]) -> None:
    """Create or merge each language's .po from the template (default: all 23).

    Example: pipeline update --lang de
    """
    from .catalogs.update import update as run

    config = _config(ctx)
    for r in run(config, _codes(config, lang, False, required=False)):
        parts = [f"{r.kept} kept"]
        for label, n in (
            ("new", r.new),
            ("changed in the source, now fuzzy", r.fuzzy),
            ("link targets updated", r.retargeted),
            ("back from obsolete", r.revived),
            ("obsolete", r.obsoleted),
        ):
            if n:
                parts.append(f"{n} {label}")
        state = "written" if r.written else "unchanged"
        click.echo(f"{_rel(r.path)}: {', '.join(parts)}; {state}")


@main.command()
@lang_option
@click.option("--all", "all_", is_flag=True, help="Every configured language.")
@click.option("--dry-run", is_flag=True, help="Send nothing: show what would be sent, and the quota left.")
@click.pass_context
def translate(ctx: click.Context, lang: tuple[str, ...], all_: bool, dry_run: bool) -> None:
    """Machine-translate (DeepL) what nobody has translated yet, as fuzzy entries for review.

    Sends untranslated entries, and machine translations nobody touched whose
    source changed; never replaces what a person wrote. Needs DEEPL_AUTH_KEY
    (and DEEPL_SERVER_URL to use another server). Each catalog is saved after
    every request: run the command again to carry on after a stop.

    Example: pipeline translate --lang de --dry-run
    """
    from .mt.deepl import DeepLEngine
    from .mt.run import translate as run

    config = _config(ctx)
    codes = _codes(config, lang, all_, required=True)
    engine = DeepLEngine.from_environment()
    with _Progress("translating") as bar:
        result = run(config, codes, engine, progress=bar.update, dry_run=dry_run)
    _print_glossary(config, result)
    for r in result.languages:
        if r.skipped:
            click.echo(f"warning: {r.language}: {r.skipped}; skipped", err=True)
    if dry_run:
        _print_dry_run(result)
        return
    _print_translated(result)
    problems = result.errors()
    for problem in problems[:-1]:
        fail(problem.describe(Path.cwd()))
    if problems:
        raise problems[-1]
    skipped = [r.language for r in result.languages if r.skipped]
    if skipped:
        fail(f"not translated: {' '.join(skipped)} (DeepL does not offer them)")
        sys.exit(1)


class _Progress:
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

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _print_glossary(config: Config, result: Any) -> None:
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
        click.echo(f"glossary: {_rel(config.glossary_path)} has no terms for {names}", err=True)


def _print_dry_run(result: Any) -> None:
    for r in result.languages:
        if not r.skipped:
            click.echo(f"{r.language}: {r.segments} segments, {r.characters} characters")
    click.echo(f"total: {result.segments} segments, {result.characters} characters (dry run: nothing sent)")
    left = "unknown" if result.remaining is None else str(result.remaining)
    click.echo(f"DeepL account: {left} characters left this billing period")


def _print_translated(result: Any) -> None:
    for r in result.languages:
        if r.skipped:
            continue
        if not (r.segments or r.undone or r.error):
            click.echo(f"{_rel(r.path)}: nothing to translate")
            continue
        line = f"{_rel(r.path)}: {r.segments} segments translated, {r.characters} characters billed"
        if r.broken:
            line += f"; {r.broken} with broken markup (fuzzy, with a note)"
        if r.undone:
            line += f"; {r.undone} left ({r.undone_characters} characters)"
        click.echo(line)
    click.echo(f"total: {result.characters} characters billed")


@main.command()
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
@click.pass_context
def status(ctx: click.Context, lang: tuple[str, ...], as_json: bool) -> None:
    """Show per language how much is reviewed and whether its PDF is up to date.

    Example: pipeline status --lang de --lang fr
    """
    from .publish.status import status as run

    config = _config(ctx)
    rows = run(config, _codes(config, lang, False, required=False))
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in rows], indent=2))
        return
    head = f"{'lang':<5}{'reviewed':>9}{'unreviewed':>11}{'stale':>6}{'untransl.':>10}{'% words':>8}  PDF"
    click.echo(head)
    for r in rows:
        pdf = "up to date" if r.pdf_up_to_date else "out of date"
        note = "" if r.catalog_up_to_date else "  (catalog behind the source: run pipeline update)"
        click.echo(
            f"{r.language:<5}{r.reviewed:>9}{r.unreviewed:>11}{r.stale:>6}{r.untranslated:>10}"
            f"{r.percent_reviewed:>7.0f}%  {pdf}{note}"
        )


@main.command()
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_context
def check(ctx: click.Context, lang: tuple[str, ...], as_json: bool) -> None:
    """Check the source and the translations: markup, numbers, terms, typography (default: all 23).

    Prints path:line: error|warning code: message, then a summary per language;
    exits 1 when any error is found.

    Example: pipeline check --lang de
    """
    from .checks.catalog import check as run
    from .checks.findings import ERROR, summary

    config = _config(ctx)
    codes = _codes(config, lang, False, required=False)
    findings = run(config, codes)
    errors = sum(1 for f in findings if f.severity == ERROR)
    if as_json:
        click.echo(
            json.dumps(
                {"findings": [f.as_dict() for f in findings], "summary": summary(findings, codes)}, indent=2
            )
        )
    else:
        for finding in findings:
            click.echo(finding.format(Path.cwd()))
        for code, counts in summary(findings, codes).items():
            click.echo(f"{code}: {counts['error']} errors, {counts['warning']} warnings", err=True)
    if errors:
        sys.exit(1)


@main.command()
@lang_option
@click.option("--all", "all_", is_flag=True, help="Every language, English included, and the download page.")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["pdf", "html"]),
    help="pdf and/or html (default: pdf; with --all both).",
)
@click.option(
    "--final", is_flag=True, help="Refuse unless every entry of every language asked for is reviewed."
)
@click.option("--force", is_flag=True, help="Render again even when nothing changed.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: one per core).")
@click.option(
    "--pdf-variant",
    type=click.Choice(list(PDF_VARIANTS)),
    help="PDF flavour, e.g. pdf/a-3u for archives (default from pyproject.toml: pdf/ua-1).",
)
@click.option("--proof", is_flag=True, help="Write the bilingual review proof (<slug>-<ll>-proof.pdf).")
@click.pass_context
def render(
    ctx: click.Context,
    lang: tuple[str, ...],
    all_: bool,
    formats: tuple[str, ...],
    final: bool,
    force: bool,
    jobs: int | None,
    pdf_variant: str | None,
    proof: bool,
) -> None:
    """Render the letter as output/<ll>/<slug>-<ll>.pdf (and .html).

    Languages render in parallel worker processes; a language whose inputs did
    not change is skipped. With --all, output/index.html lists every language.

    Example: pipeline render --lang de
    """
    import dataclasses

    from .publish.parallel import render as run

    config = _config(ctx)
    if pdf_variant:
        config = dataclasses.replace(config, pdf_variant=pdf_variant)
    codes = _codes(config, lang, all_, required=True, source=True)
    if proof:
        from .publish.proof import render_proof

        for code in codes:
            if code != "en":
                click.echo(_rel(render_proof(config, code)))
        return
    chosen = tuple(formats) or (("pdf", "html") if all_ else ("pdf",))
    many = len(codes) > 1
    with _Progress("rendering", len(codes) if many else None) as bar:
        result = run(
            config, codes, chosen, jobs=jobs or 0, force=force, final=final, index=all_, progress=bar.step
        )
    _print_rendered(result, many)


def _print_rendered(result: Any, many: bool) -> None:
    if not many and result.failed:
        fail(result.outcomes[0].error)  # one language: its error is the command's
        sys.exit(1)
    for outcome in result.outcomes:
        _report(outcome)
    if many:
        click.echo(f"{'lang':<5} {'state':<11} {'pages':>5} {'size':>9} {'seconds':>8}")
        for o in result.outcomes:
            pages = str(o.result.pages) if o.result and o.result.pages else "-"
            click.echo(f"{o.language:<5} {o.state:<11} {pages:>5} {o.size / 1024:>7.0f}KB {o.seconds:>8.2f}")
    if result.index is not None:
        click.echo(_rel(result.index))
    if result.failed:
        fail(f"{len(result.failed)} language(s) failed: {' '.join(result.failed)}")
        sys.exit(1)


def _report(outcome: Any) -> None:
    r = outcome.result
    if outcome.state == "failed":
        click.echo(f"{outcome.language}: failed: {outcome.error}", err=True)
        return
    for path in r.paths:
        click.echo(f"{_rel(path)}{' (up to date)' if r.skipped else ''}")
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
    if r.fallbacks:
        click.echo(f"{r.language}: {len(r.fallbacks)} entries printed in English:", err=True)
        for msgid, st in r.fallbacks:
            short = msgid if len(msgid) <= 60 else msgid[:59] + "…"
            click.echo(f"  {st.value}: {short}", err=True)


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
