"""The README's library example runs as it is written, without click."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from pipeline import config

from .helpers import ROOT, copy_shipped


def test_the_readme_script_runs_the_flow_for_one_language(cfg: config.Config) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = re.search(r"<!-- library-example -->\n```python\n(.*?)```", readme, re.S)
    assert script is not None
    copy_shipped(cfg, "de")
    done = subprocess.run(
        [sys.executable, "-c", script.group(1) + "\nimport sys\nassert 'click' not in sys.modules\n"],
        cwd=cfg.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "check: 0 errors" in done.stdout
    assert "output/de/reclaim-your-face-open-letter-de.pdf" in done.stdout
    assert (cfg.root / "output" / "de" / "reclaim-your-face-open-letter-de.html").exists()
    assert Path(cfg.root / "locale" / "letter.pot").exists()
