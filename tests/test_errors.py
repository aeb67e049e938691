"""Every failure a coordinator can meet is one line, ``Error: <path>[:<line>]: …``, and exit 1."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from pipeline import config

from .helpers import copy_shipped

CATALOG = "locale/de/LC_MESSAGES/letter.po"


def _one_error(result: Result, start: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[-1].startswith(f"Error: {start}"), result.stderr


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Callable[[Path, str], None]]:
    """Mount a small tmpfs (a full disk, a read-only folder): real OS errors, not stand-ins."""
    mounted: list[Path] = []

    def make(where: Path, options: str) -> None:
        where.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(where)

    yield make
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.parametrize("command", [["extract"], ["status"], ["check"], ["render", "--lang", "de"]])
def test_broken_front_matter(cfg: config.Config, run: Callable[..., Result], command: list[str]) -> None:
    copy_shipped(cfg, "de")
    text = cfg.source_path.read_text(encoding="utf-8")
    cfg.source_path.write_text(text.replace("place: Brussels", "place: [Brussels", 1), encoding="utf-8")
    result = run(*command)
    _one_error(result, "source/letter.md:4: front matter is not valid YAML: expected ',' or ']', but got ':'")
    assert len(result.stderr.splitlines()) == 1


def test_broken_signatories(cfg: config.Config, run: Callable[..., Result]) -> None:
    path = cfg.root / "source" / "signatories.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("scopes:", "scopes: [", 1), encoding="utf-8")
    _one_error(run("render", "--lang", "en"), "source/signatories.yaml:")


@pytest.mark.parametrize(
    "command",
    [
        ["status", "--lang", "de"],
        ["check", "--lang", "de"],
        ["render", "--lang", "de"],
        ["update", "--lang", "de"],
    ],
)
def test_a_catalog_that_is_a_folder(
    cfg: config.Config, run: Callable[..., Result], command: list[str]
) -> None:
    (cfg.root / CATALOG).mkdir(parents=True)
    _one_error(run(*command), f"{CATALOG}: cannot read the catalog: is a folder, not a file")


def test_an_unreadable_catalog(
    cfg: config.Config, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_shipped(cfg, "de")
    target = cfg.root / CATALOG
    if os.geteuid() != 0:
        target.chmod(0)
    else:  # root reads every file: refuse this one the way the kernel refuses others
        real = os.open

        def open_(path: Any, *args: Any, **kwargs: Any) -> Any:
            if Path(path) == target:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", open_)
    for command in (["status"], ["check"], ["render", "--lang", "de"], ["update", "--lang", "de"]):
        _one_error(
            run(*command, *([] if "--lang" in command else ["--lang", "de"])), f"{CATALOG}: cannot read"
        )


def test_a_catalog_that_is_a_looping_link(cfg: config.Config, run: Callable[..., Result]) -> None:
    target = cfg.root / CATALOG
    target.parent.mkdir(parents=True)
    target.symlink_to(target.name)  # points at itself
    _one_error(
        run("status", "--lang", "de"), f"{CATALOG}: cannot read the catalog: Too many levels of symbolic"
    )


def test_no_catalog_is_one_error_everywhere(cfg: config.Config, run: Callable[..., Result]) -> None:
    for command in (["status", "--lang", "de"], ["check", "--lang", "de"], ["render", "--lang", "de"]):
        _one_error(run(*command), f"{CATALOG}: no catalog for de: run `pipeline update --lang de` first")


def test_a_full_disk(
    cfg: config.Config, run: Callable[..., Result], mount: Callable[[Path, str], None]
) -> None:
    mount(cfg.root / "locale" / "de", "size=4k")
    _one_error(run("update", "--lang", "de"), f"{CATALOG}: cannot write: No space left on device")
    assert not [p for p in (cfg.root / "locale" / "de").rglob("*") if p.is_file()]  # no half file left


def test_a_read_only_output_folder(
    cfg: config.Config, run: Callable[..., Result], mount: Callable[[Path, str], None]
) -> None:
    copy_shipped(cfg, "de")
    mount(cfg.root / "output", "ro,size=64k")
    _one_error(run("render", "--lang", "de"), "output/")
    assert "Read-only file system" in run("render", "--lang", "de").stderr


def test_a_malformed_glossary(cfg: config.Config, run: Callable[..., Result]) -> None:
    copy_shipped(cfg, "de")
    (cfg.root / "locale" / "glossary.csv").write_text("term,note\n", encoding="utf-8")
    _one_error(
        run("check", "--lang", "de"), "locale/glossary.csv:1: the first row must start with term,translate"
    )


def test_a_project_that_is_not_there(tmp_path: Path, run: Callable[..., Result]) -> None:
    shutil.rmtree(tmp_path)
    result = run("-C", str(tmp_path), "status")
    assert result.exit_code != 0 and "Traceback" not in result.output
