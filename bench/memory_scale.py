"""The translation memory at scale: recall against a synthetic 100,000-unit imported memory.

A project with one German memory file of 100,000 units (TMX, in locale/memory/), made of
sentences in the letter's vocabulary; among them, near variants of the texts recalled (and
for a quarter of them the texts themselves), so that there are matches to find. Measured,
each cold (the SQLite index in the cache built from the file first) and warm (the index
already there), as a dry run (nothing written, so the warm run recalls the same):

  * recall for the letter's 45 entries;
  * recall for a document of 1,000 entries.

Usage: .venv/bin/python bench/memory_scale.py   (writes bench/results/memory-scale.md)
"""

from __future__ import annotations

import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import config, extract, update  # noqa: E402
from pipeline.memory import index, recall, tmx  # noqa: E402
from pipeline.memory.units import Unit  # noqa: E402
from pipeline.source import document  # noqa: E402
from pipeline.source.segments import segments  # noqa: E402

UNITS = 100_000
RESULT = ROOT / "bench" / "results" / "memory-scale.md"
Row = tuple[str, int, str, float, int, int]


def _vocabulary() -> list[str]:
    text = (ROOT / "source" / "letter.md").read_text(encoding="utf-8")
    words = sorted({w for w in text.replace("*", " ").split() if w.isalpha()})
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    made = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(5000)]
    return words + made


def _sentence(rng: random.Random, words: list[str]) -> str:
    return " ".join(rng.choice(words) for _ in range(rng.randint(6, 45))).capitalize() + "."


def _variant(rng: random.Random, text: str) -> str:
    """The text with one word in eight written backwards: about 85 % similar."""
    words = text.split()
    for i in rng.sample(range(len(words)), max(1, len(words) // 8)):
        words[i] = words[i][::-1]
    return " ".join(words)


def _project(folder: Path, body: str | None) -> config.Config:
    shutil.copytree(ROOT / "source", folder / "source")
    settings = 'languages = ["de"]\n'
    if body is not None:
        (folder / "source" / "long.md").write_text(body, encoding="utf-8")
        settings += 'source = "source/long.md"\ndomain = "long"\n'
    (folder / "pyproject.toml").write_text("[tool.pipeline]\n" + settings, encoding="utf-8")
    cfg = config.load(folder)
    extract(cfg)
    update(cfg, ["de"])
    return cfg


def _memory(cfg: config.Config, queries: list[str], rng: random.Random, words: list[str]) -> None:
    units = [Unit("de", _variant(rng, q), f"DE {q}", "imported", "synthetic") for q in queries]
    units += [Unit("de", q, f"DE {q}", "imported", "synthetic") for q in queries[: len(queries) // 4]]
    while len(units) < UNITS:
        text = _sentence(rng, words)
        units.append(Unit("de", text, f"DE {text}", "imported", "synthetic"))
    folder = cfg.root / "locale" / "memory"
    folder.mkdir(parents=True)
    (folder / "synthetic.tmx").write_bytes(tmx.write(units, "de"))


def _timed(cfg: config.Config) -> tuple[float, recall.Recalled]:
    start = time.perf_counter()
    [result] = recall.recall(cfg, ["de"], dry_run=True)
    return time.perf_counter() - start, result


def measure(name: str, body: str | None, rows: list[Row]) -> None:
    rng = random.Random(1)
    words = _vocabulary()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PIPELINE_CACHE_DIR"] = str(Path(tmp) / "cache")
        cfg = _project(Path(tmp) / "project", body)
        queries = [s.msgid for s in segments(document.read(cfg), cfg.root) if s.context is None]
        _memory(cfg, queries, rng, words)
        cold, first = _timed(cfg)
        assert index.Index(cfg).path.exists()
        warm, again = _timed(cfg)
        assert (again.exact, again.near) == (first.exact, first.near)
        entries = first.exact + first.near + first.left
        rows.append((name, entries, "cold (index built)", cold, first.exact, first.near))
        rows.append((name, entries, "warm", warm, again.exact, again.near))


def main() -> None:
    rng = random.Random(3)
    words = _vocabulary()
    paragraphs = "\n\n".join(_sentence(rng, words) for _ in range(1000))
    rows: list[Row] = []
    measure("the letter", None, rows)
    measure("a long document", "---\ntitle: A long document\n---\n\n" + paragraphs + "\n", rows)
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} by `bench/memory_scale.py` on {os.cpu_count()} cores: "
        f"recall (a dry run) against an imported memory of {UNITS:,} German units (one TMX file).",
        "",
        "| document | entries | index | seconds | exact | near |",
        "|---|---:|---|---:|---:|---:|",
        *[f"| {n} | {e:,} | {how} | {sec:.2f} | {x:,} | {near:,} |" for n, e, how, sec, x, near in rows],
        "",
        "Goals: the letter under 5 s, 1,000 entries under 30 s.",
        "",
    ]
    RESULT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
