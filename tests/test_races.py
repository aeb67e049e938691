"""A translator's save while a command writes: no edit is ever lost; at most the command stops."""

from __future__ import annotations

import os
import random
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline import config, files
from pipeline.catalogs import update
from pipeline.errors import ChangedMeanwhile, PipelineError
from pipeline.mt import run as translate

from .fake_engine import FakeEngine
from .helpers import by_msgid, edit_source

ROUNDS = 50


def _editor_saves(path: Path, marker: str) -> None:
    """What Poedit, Lokalize and Weblate do: write a new file beside it, rename it over the old."""
    text = re.sub(r'(msgid "Brussels"\nmsgstr )"[^"]*"', rf'\1"{marker}"', path.read_text(encoding="utf-8"))
    tmp = path.with_name(".editor-save.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.rename(tmp, path)


def _timed(monkeypatch: pytest.MonkeyPatch, path: Path, marker: str, when: str) -> threading.Thread | None:
    """Put the editor's save into the command's write: just before the exchange, just after it,
    or at a random moment of the run."""
    real = files._exchange

    def exchange(a: Path, b: Path) -> bool:
        if b == path and when == "before":
            _editor_saves(path, marker)
        done = real(a, b)
        if b == path and when == "after":
            _editor_saves(path, marker)
        monkeypatch.setattr(files, "_exchange", real)  # one save per round
        return done

    monkeypatch.setattr(files, "_exchange", exchange)
    if when != "anytime":
        return None
    thread = threading.Thread(
        target=lambda: (time.sleep(random.uniform(0, 0.08)), _editor_saves(path, marker))
    )
    thread.start()
    return thread


def _brussels(path: Path) -> str:
    return by_msgid(path)["Brussels"].msgstr


@pytest.mark.parametrize("when", ["before", "after", "anytime"])
def test_update_never_overwrites_a_save_made_while_it_writes(
    cfg: config.Config, catalog_for: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    path = catalog_for("de")
    stopped = 0
    for i in range(ROUNDS // 3 + 1):
        edit_source(cfg, "Signed," if i == 0 else f"Paragraph {i - 1}.", f"Paragraph {i}.")
        marker = f"EDIT-{when}-{i}"
        thread = _timed(monkeypatch, path, marker, when)
        try:
            update.update(cfg, ["de"])
        except ChangedMeanwhile as exc:
            stopped += 1
            assert "changed while the command ran" in str(exc)
        if thread is not None:
            thread.join()
        assert _brussels(path) == marker, (when, i)
    assert when != "before" or stopped == ROUNDS // 3 + 1  # a save before the exchange is always seen


@pytest.mark.parametrize("when", ["before", "after", "anytime"])
def test_translate_never_overwrites_a_save_made_while_it_writes(
    cfg: config.Config, catalog_for: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    path = catalog_for("de")
    for i in range(ROUNDS // 3 + 1):
        edit_source(cfg, "Signed," if i == 0 else f"Paragraph {i - 1}.", f"Paragraph {i}.")
        update.update(cfg, ["de"])
        marker = f"EDIT-{when}-{i}"
        thread = _timed(monkeypatch, path, marker, when)
        result = translate.translate(cfg, ["de"], FakeEngine())
        if thread is not None:
            thread.join()
        assert _brussels(path) == marker, (when, i, result.errors())
        for error in result.errors():
            assert "saved by someone else" in str(error)


def test_two_writers_do_not_interleave(cfg: config.Config, catalog_for: Callable[[str], Path]) -> None:
    catalog_for("de")
    with files.project_lock(cfg.root), pytest.raises(PipelineError, match="another pipeline command"):
        # another process: the lock is per process, so ask from a child
        import subprocess
        import sys

        done = subprocess.run(
            [sys.executable, "-m", "pipeline", "update", "--lang", "de"],
            cwd=cfg.root,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 1
        raise PipelineError(done.stderr)
    # released: the next writer goes on; readers never wait
    assert update.update(cfg, ["de"])
