"""Helpers the tests share: edits as a person makes them, and GNU gettext as the judge of a catalog."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import polib
from pypdf import PdfReader

from pipeline import config
from pipeline.catalogs import extract, po

from .deepl_server import FakeDeepL

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def set_translations(path: Path, fill: Callable[[polib.POEntry], tuple[str, bool] | None]) -> None:
    """Edit a catalog as a translator would: ``fill`` returns (msgstr, fuzzy) or None to skip."""
    catalog = po.read(path, path.parent.parent.name)
    for entry in catalog.entries():
        result = fill(entry)
        if result is None:
            continue
        entry.msgstr, fuzzy = result
        entry.flags = [f for f in entry.flags if f != "fuzzy"] + (["fuzzy"] if fuzzy else [])
    path.write_bytes(po.serialise(catalog.po, path))


def edit_source(cfg: config.Config, old: str, new: str) -> None:
    """Change the source as a coordinator would, then extract the template again."""
    text = cfg.source_path.read_text(encoding="utf-8")
    assert old in text, old
    cfg.source_path.write_text(text.replace(old, new, 1), encoding="utf-8")
    extract.extract(cfg)


def by_msgid(path: Path) -> dict[str, polib.POEntry]:
    """The active entries of a catalog, by msgid."""
    return {e.msgid: e for e in po.read(path, path.parent.parent.name).entries()}


def by_key(path: Path) -> dict[tuple[str | None, str], polib.POEntry]:
    """The active entries of a catalog, by (msgctxt, msgid)."""
    return {(e.msgctxt, e.msgid): e for e in po.read(path, path.parent.parent.name).entries()}


def msgfmt(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """GNU msgfmt's verdict on a catalog: ``-c --check-format`` and no output file."""
    return subprocess.run(
        ["msgfmt", "-c", "--check-format", *args, "-o", os.devnull, str(path)], capture_output=True, text=True
    )


def assert_gettext_accepts(path: Path) -> None:
    """msgfmt accepts the file without a warning, and msgcat writes it back byte for byte."""
    checked = msgfmt(path)
    assert checked.returncode == 0 and checked.stderr == "", (path, checked.stderr)
    assert subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout == path.read_bytes()


def copy_shipped(cfg: config.Config, code: str) -> Path:
    """The repository's draft catalog for ``code``, copied into the test project."""
    target = cfg.catalog_path(code)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "locale" / code / "LC_MESSAGES" / "letter.po", target)
    return target


def copy_glossary(root: Path) -> None:
    (root / "locale").mkdir(exist_ok=True)
    for name in ("glossary.csv", "glossary-forms.csv"):
        shutil.copy(ROOT / "locale" / name, root / "locale" / name)


def pdf_text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


# -- machine translation ---------------------------------------------------------

TERMS = [
    "biometric mass surveillance,yes,,biometrische Massenüberwachung,surveillance biométrique de masse,"
    "ollfhaireachas bithmhéadrach,biometrijski masovni nadzor",
    "RBI,no,,RBI,RBI,RBI,RBI",
]


def write_glossary(cfg: config.Config, rows: Sequence[str]) -> None:
    path = cfg.glossary_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("term,translate,note,de,fr,ga,hr\n" + "".join(r + "\n" for r in rows), encoding="utf-8")


def set_pyproject(cfg: config.Config, lines: str) -> config.Config:
    """Replace the configuration's formality line with ``lines``."""
    path = cfg.root / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^formality = .*$", lines, text, count=1, flags=re.M), encoding="utf-8")
    return config.load(cfg.root)


def sent(server: FakeDeepL, target: str | None = None) -> list[str]:
    """Every text the DeepL test server was sent (for ``target``)."""
    return [t for b in server.state.translate_bodies if target in (None, b["target_lang"]) for t in b["text"]]
