"""Shared fixtures: a throw-away copy of the project, and catalogs to edit in tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import deepl
import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from pipeline import config as config_mod
from pipeline.catalogs import extract, update
from pipeline.cli import main

from .deepl_server import KEY, FakeDeepL
from .helpers import DATA, ROOT, copy_shipped, set_translations

__all__ = ["DATA", "ROOT", "set_translations"]

# CI explores the same examples every run: a red build then means a change broke
# something, not that the dice found an old edge case (run locally to explore).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


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


@pytest.fixture
def fast_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the DeepL client's retries, but make them quick: 2 retries, short timeouts and backoff."""
    monkeypatch.setattr(deepl.http_client, "max_network_retries", 2)
    monkeypatch.setattr(deepl.http_client, "min_connection_timeout", 0.3)
    monkeypatch.setattr(deepl.http_client._BackoffTimer, "BACKOFF_INITIAL", 0.01)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, fast_client: None) -> Iterator[FakeDeepL]:
    """The local DeepL test server, with the environment pointing the client at it."""
    with FakeDeepL() as fake:
        monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
        monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
        yield fake


PROJECT = """[tool.pipeline]
organisation = "Reclaim Your Face"
translation-team = "Reclaim Your Face translation team"
languages = ["de", "el"]

[[tool.pipeline.documents]]
name = "letter"
source = "source/letter.md"

[[tool.pipeline.documents]]
name = "followup"
source = "source/followup.md"
"""


@pytest.fixture
def two(project: Path) -> list[config_mod.Config]:
    """The letter (with its shipped German and Greek drafts) and a follow-up letter that repeats
    some of its paragraphs, edits one and adds others."""
    shutil.copy(DATA / "followup" / "source" / "followup.md", project / "source" / "followup.md")
    (project / "pyproject.toml").write_text(PROJECT, encoding="utf-8")
    docs = config_mod.load_documents(project)
    for code in ("de", "el"):
        copy_shipped(docs[0], code)
    return docs
