"""``pipeline memory``: recall, export and import of the translation memory."""

from __future__ import annotations

from pathlib import Path

import click

from . import report
from .cli import _codes, _documents, _project, doc_option, lang_option


@click.group()
def memory() -> None:
    """The translation memory: every document's translations, and imported TMX and PO files.

    recall fills untranslated entries (translate does it first); export writes
    TMX 1.4b per language; import checks a file and puts it in the memory folder.

    Example: pipeline memory recall --doc followup
    """


@memory.command()
@lang_option
@doc_option
@click.option("--dry-run", is_flag=True, help="Write nothing: show what would be filled.")
@click.pass_context
def recall(ctx: click.Context, lang: tuple[str, ...], docs: tuple[str, ...], dry_run: bool) -> None:
    """Fill untranslated entries from the memory: exact matches and near ones, all fuzzy.

    An exact match (same text and kind) comes with a mark naming where it was
    translated and how far it was reviewed there; a near one also with the
    matched source as #| (the previous msgid), so every editor shows the
    difference.

    Example: pipeline memory recall --doc briefing --lang de
    """
    from .memory.recall import recall as run

    configs = _documents(ctx, docs)
    codes = _codes(configs[0], lang, False, required=False)
    for config in configs:
        results = run(config, codes, dry_run=dry_run)
        report.recalled(results, dry_run)
        left = sum(r.left for r in results)
        filled = sum(r.exact + r.near for r in results)
        click.echo(f"{config.document_name}: {filled} filled, {left} left for translation", err=True)


@memory.command(name="export")
@lang_option
@click.option(
    "--to",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder for <ll>.tmx (default: output/memory).",
)
@click.pass_context
def export_(ctx: click.Context, lang: tuple[str, ...], folder: Path | None) -> None:
    """Write every document's translations as TMX 1.4b, one file per language.

    Each unit carries its state (reviewed, approved, unreviewed), its document
    and its kind as TMX properties, for CAT tools, Weblate and DeepL.

    Example: pipeline memory export --lang de
    """
    from .memory.exchange import export as run

    config = _project(ctx)
    target = (folder if folder is not None else config.output_path / "memory").absolute()
    for r in run(config, _codes(config, lang, False, required=False), target):
        click.echo(f"{report.rel(r.path)}: {r.units} units, {'written' if r.written else 'unchanged'}")


@memory.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def import_(ctx: click.Context, file: Path) -> None:
    """Check a TMX file or a PO compendium and put it in the memory folder.

    Reports what it holds per language, and every unit that breaks the rules a
    catalog entry meets (such a unit is never recalled).

    Example: pipeline memory import ~/Downloads/ep-letters.tmx
    """
    from .memory.exchange import import_file

    result = import_file(_project(ctx), file.absolute())
    held = ", ".join(f"{code} {n}" for code, n in result.languages.items()) or "no usable unit"
    click.echo(f"{report.rel(result.path)}: {held}{'' if result.copied else ' (already there)'}")
    for why, n in result.skipped.items():
        click.echo(f"warning: {n} units left out: {why}", err=True)
    for source, why in result.refused[:20]:
        click.echo(f"warning: refused {source[:50]!r}: {why}", err=True)
    if len(result.refused) > 20:
        click.echo(f"warning: {len(result.refused) - 20} more refused", err=True)
