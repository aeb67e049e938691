"""Interruptions: a killed command leaves every catalog valid and every PDF whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from pipeline import config
from pipeline.catalogs import extract, update

from .helpers import msgfmt, set_translations

DELAYS = (0.15, 0.3, 0.45, 0.6, 0.8)


def _start(cfg: config.Config, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cfg.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _kill_after(proc: subprocess.Popen[bytes], delay: float) -> None:
    time.sleep(delay)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def test_killed_update_keeps_every_catalog_valid_and_every_edit(cfg: config.Config) -> None:
    update.update(cfg, cfg.languages)
    for code in cfg.languages:
        set_translations(
            cfg.catalog_path(code), lambda e, c=code: (f"HUMAN-{c}", False) if e.msgid == "Brussels" else None
        )
    text = cfg.source_path.read_text(encoding="utf-8")
    for i, delay in enumerate(DELAYS):
        # Each round changes the source, so update has all 23 files to rewrite.
        text = text.replace("Signed,", f"Paragraph {i}.\n\nSigned,", 1)
        cfg.source_path.write_text(text, encoding="utf-8")
        extract.extract(cfg)
        _kill_after(_start(cfg, "update"), delay)
        for code in cfg.languages:
            path = cfg.catalog_path(code)
            checked = msgfmt(path)
            assert checked.returncode == 0, (delay, code, checked.stderr)
            assert f'msgstr "HUMAN-{code}"' in path.read_text(encoding="utf-8")
    update.update(cfg, cfg.languages)
    assert all(f"HUMAN-{c}" in cfg.catalog_path(c).read_text(encoding="utf-8") for c in cfg.languages)


def test_killed_render_leaves_the_old_pdf_or_the_new_one(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    subprocess.run(
        [sys.executable, "-m", "pipeline", "render", "--lang", "de"],
        cwd=cfg.root,
        check=True,
        capture_output=True,
    )
    pdf = cfg.root / "output" / "de" / "reclaim-your-face-open-letter-de.pdf"
    old = pdf.read_bytes()
    set_translations(path, lambda e: ("Brüssel", True) if e.msgid == "Brussels" else None)
    outcomes = set()
    for delay in (0.3, 0.8, 1.3, 1.8, 3.0):
        _kill_after(_start(cfg, "render", "--lang", "de", "--force"), delay)
        data = pdf.read_bytes()
        if data == old:
            outcomes.add("old")
        else:
            reader = PdfReader(pdf)
            assert "Brüssel" in "".join(p.extract_text() for p in reader.pages)
            outcomes.add("new")
    assert outcomes  # every observation was one of the two whole files
