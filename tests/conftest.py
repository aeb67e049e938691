"""Shared fixtures: a throw-away copy of the project, and catalogs to edit in tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from pipeline import config as config_mod
from pipeline.catalogs import extract, update
from pipeline.cli import main

# CI explores the same examples every run: a red build then means a change broke
# something, not that the dice found an old edge case (run locally to explore).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's source and configuration, with a fresh template; cwd is there."""
    shutil.copytree(ROOT / "source", tmp_path / "source")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    monkeypatch.chdir(tmp_path)
    extract.extract(config_mod.load(tmp_path))
    return tmp_path


@pytest.fixture
def cfg(project: Path) -> config_mod.Config:
    return config_mod.load(project)


@pytest.fixture
def catalog_for(cfg: config_mod.Config) -> Callable[[str], Path]:
    """Create (update) the catalog of one language and return its path."""

    def make(code: str) -> Path:
        update.update(cfg, [code])
        return cfg.catalog_path(code)

    return make


@pytest.fixture
def run() -> Callable[..., Result]:
    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def set_translations(path: Path, fill: Callable[[polib.POEntry], tuple[str, bool] | None]) -> None:
    """Edit a catalog as a translator would: ``fill`` returns (msgstr, fuzzy) or None to skip."""
    from pipeline.catalogs import po

    catalog = po.read(path, path.parent.parent.name)
    for entry in catalog.entries():
        result = fill(entry)
        if result is None:
            continue
        entry.msgstr, fuzzy = result
        entry.flags = [f for f in entry.flags if f != "fuzzy"] + (["fuzzy"] if fuzzy else [])
    path.write_bytes(po.serialise(catalog.po, path))
