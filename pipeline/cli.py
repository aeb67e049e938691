"""The command line: parse options, call one stage, print its result. Errors become exit codes here."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import languages, report
from .config import PDF_VARIANTS, Config
from .version import __version__


class Pipeline(click.Group):
    """The command group; its ``invoke`` is the one place where errors become exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import PipelineError

        try:
            return super().invoke(ctx)
        except PipelineError as exc:
            report.fail(exc.describe(Path.cwd()))
        except RecursionError:  # a stage's limits missed one: still no traceback
            report.fail("the input is nested too deeply to process; simplify its markup")
        except OSError as exc:  # a stage missed one: still name the file, never a traceback
            from .errors import relative

            where = f"{relative(Path(exc.filename), Path.cwd())}: " if exc.filename else ""
            report.fail(f"{where}{exc.strerror or exc}")
        ctx.exit(1)


def _documents(ctx: click.Context, docs: tuple[str, ...]) -> list[Config]:
    """The documents asked for (``--doc``, repeatable), checked; all of them when none are named."""
    from .config import load_documents

    found = load_documents(ctx.obj["root"])
    names = [c.document_name for c in found]
    for name in docs:
        if name not in names:
            raise click.UsageError(f"unknown document {name!r}; documents: {' '.join(names)}")
    return [c for c in found if not docs or c.document_name in docs]


def _project(ctx: click.Context) -> Config:
    """The project's settings (its first document's configuration)."""
    return _documents(ctx, ())[0]


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


Option = Callable[[Callable[..., Any]], Callable[..., Any]]

lang_option: Option = click.option(
    "--lang", "-l", "lang", multiple=True, metavar="CODE", help="A language code (repeatable), e.g. de."
)
doc_option: Option = click.option(
    "--doc",
    "docs",
    multiple=True,
    metavar="NAME",
    help="A document of [tool.pipeline] (repeatable); default: every document.",
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
    """Publish a coalition's documents in the 24 official languages of the EU.

    source -> extract -> update -> translate (memory, then DeepL) -> check -> render.
    """
    ctx.obj = {"root": project}


@main.command()
@doc_option
@click.pass_context
def extract(ctx: click.Context, docs: tuple[str, ...]) -> None:
    """Write each document's template (locale/<domain>.pot) from its source and signatories.

    Example: pipeline extract --doc letter
    """
    from .catalogs.extract import extract as run

    for config in _documents(ctx, docs):
        result = run(config)
        state = "written" if result.written else "unchanged"
        click.echo(f"{report.rel(result.path)}: {result.entries} entries, {state}")


@main.command()
@lang_option
@doc_option
@click.pass_context
def update(ctx: click.Context, lang: tuple[str, ...], docs: tuple[str, ...]) -> None:
    """Create or merge each language's .po from the template (default: all 23).

    Example: pipeline update --lang de
    """
    from .catalogs.update import update as run

    configs = _documents(ctx, docs)
    codes = _codes(configs[0], lang, False, required=False)
    for r in (r for config in configs for r in run(config, codes)):
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
        click.echo(f"{report.rel(r.path)}: {', '.join(parts)}; {state}")


@main.command()
@lang_option
@doc_option
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def normalise(
    ctx: click.Context, lang: tuple[str, ...], docs: tuple[str, ...], files: tuple[Path, ...]
) -> None:
    """Rewrite catalogs as msgcat writes them (79 columns): the form the repository keeps.

    update keeps the wrap style an editor saved a file in; this command (and the
    pre-commit hook that runs it) rewraps, so any rewrap is the translator's own
    commit. Give files, or --lang; default: every configured language.

    Example: pipeline normalise locale/de/LC_MESSAGES/letter.po
    """
    from .catalogs.normalise import normalise as run

    configs = _documents(ctx, docs)
    config = configs[0]
    paths = [p.resolve() for p in files] or [
        c.catalog_path(code) for c in configs for code in _codes(config, lang, False, required=False)
    ]
    for result in run(config, [p for p in paths if p.exists() or files]):
        click.echo(f"{report.rel(result.path)}: {'normalised' if result.written else 'unchanged'}")


@main.command()
@lang_option
@doc_option
@click.option("--all", "all_", is_flag=True, help="Every configured language.")
@click.option("--dry-run", is_flag=True, help="Send nothing: show what would be sent, and the quota left.")
@click.option("--no-memory", is_flag=True, help="Do not fill entries from the translation memory first.")
@click.pass_context
def translate(
    ctx: click.Context,
    lang: tuple[str, ...],
    docs: tuple[str, ...],
    all_: bool,
    dry_run: bool,
    no_memory: bool,
) -> None:
    """Fill what nobody has translated yet: from the memory, then by DeepL; all fuzzy, for review.

    Recalls from the translation memory first (as `pipeline memory recall`),
    then sends what is left: untranslated entries, and machine translations
    nobody touched whose source changed; never replaces what a person wrote.
    Needs DEEPL_AUTH_KEY (and DEEPL_SERVER_URL to use another server). Each
    catalog is saved after every request: run the command again to carry on
    after a stop.

    Example: pipeline translate --lang de --dry-run
    """
    from .mt.deepl import DeepLEngine

    configs = _documents(ctx, docs)
    codes = _codes(configs[0], lang, all_, required=True)
    engine = DeepLEngine.from_environment()
    skipped = False
    for config in configs:
        report.document(config, len(configs))
        skipped = _translate_one(config, codes, engine, dry_run, memory=not no_memory) or skipped
    if skipped:
        sys.exit(1)


def _translate_one(config: Config, codes: list[str], engine: Any, dry_run: bool, memory: bool) -> bool:
    """One document's run, reported; whether a language was skipped (DeepL does not offer it)."""
    from .mt.run import translate as run

    with report.Progress("translating") as bar:
        result = run(config, codes, engine, progress=bar.update, dry_run=dry_run, memory=memory)
    report.recalled(result.recalled, dry_run)
    report.glossary(config, result)
    for r in result.languages:
        if r.skipped:
            click.echo(f"warning: {r.language}: {r.skipped}; skipped", err=True)
    if dry_run:
        report.dry_run(result)
        return False
    report.translated(result)
    problems = result.errors()
    for problem in problems[:-1]:
        report.fail(problem.describe(Path.cwd()))
    if problems:
        raise problems[-1]
    skipped = [r.language for r in result.languages if r.skipped]
    if skipped:
        report.fail(f"not translated: {' '.join(skipped)} (DeepL does not offer them)")
    return bool(skipped)


@main.command()
@lang_option
@doc_option
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
@click.pass_context
def status(ctx: click.Context, lang: tuple[str, ...], docs: tuple[str, ...], as_json: bool) -> None:
    """Show per document and language how much is reviewed and whether its PDF is up to date.

    Example: pipeline status --lang de --lang fr
    """
    from .publish import envelope
    from .publish.status import status as run

    configs = _documents(ctx, docs)
    codes = _codes(configs[0], lang, False, required=False)
    found = [(config, run(config, codes)) for config in configs]
    if as_json:
        click.echo(json.dumps(envelope.status(found), indent=2, ensure_ascii=False))
    else:
        for config, rows in found:
            report.document(config, len(found))
            report.status(rows)
    if any(r.error for _, rows in found for r in rows):
        sys.exit(1)


@main.command()
@lang_option
@doc_option
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_context
def check(ctx: click.Context, lang: tuple[str, ...], docs: tuple[str, ...], as_json: bool) -> None:
    """Check the source and the translations: markup, numbers, terms, typography (default: all 23).

    Prints path:line: error|warning|accepted code: message, then a summary per
    language; exits 1 when any error is found.

    Example: pipeline check --lang de
    """
    from .checks.catalog import check_each
    from .publish import envelope

    configs = _documents(ctx, docs)
    codes = _codes(configs[0], lang, False, required=False)
    found = [(config, check_each(config, codes)) for config in configs]
    if as_json:
        click.echo(json.dumps(envelope.check(found), indent=2, ensure_ascii=False))
    else:
        for config, result in found:
            report.document(config, len(found))
            report.check(result)
    if any(result.failed for _, result in found):
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
@doc_option
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
    docs: tuple[str, ...],
) -> None:
    """Render each document as output/<ll>/<slug>-<ll>.pdf (and .html).

    Languages render in parallel worker processes; a language whose inputs did
    not change is skipped. With --all, output/index.html lists every document
    and language.

    Example: pipeline render --lang de
    """
    import dataclasses

    from .publish.downloads import distinct_slugs
    from .publish.parallel import render as run

    configs = _documents(ctx, docs)
    if pdf_variant:
        configs = [dataclasses.replace(c, pdf_variant=pdf_variant) for c in configs]
    distinct_slugs(configs)
    codes = _codes(configs[0], lang, all_, required=True, source=True)
    if proof:
        from .publish.proof import render_proof

        for config in configs:
            for code in codes:
                if code != "en":
                    click.echo(report.rel(render_proof(config, code)))
        return
    chosen = tuple(formats) or (("pdf", "html") if all_ else ("pdf",))
    many = len(codes) > 1
    failed = False
    for n, config in enumerate(configs, 1):
        report.document(config, len(configs))
        with report.Progress("rendering", len(codes) if many else None) as bar:
            result = run(
                config,
                codes,
                chosen,
                jobs=jobs or 0,
                force=force,
                final=final,
                index=all_ and n == len(configs),  # once, for every document of the project
                progress=bar.step,
            )
        failed = report.rendered(result, many) or failed
    if failed:
        sys.exit(1)


from .cli_memory import memory  # noqa: E402 (its commands use the options above)

main.add_command(memory)
