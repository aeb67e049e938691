"""Measure how markup survives machine translation, per language, against the test server in DeepL-like mode.

The real pipeline (extract, update, translate with the real ``deepl`` client) runs the letter
into all 23 languages against ``tests/deepl_server.py``, which serves DeepL's language table:
the 20 languages with tag handling get XML and keep it as DeepL documents; Irish, Croatian and
Maltese get plain text and the damage model written down in ``tests/mt_damage.py``. Their run
is repeated with 20 seeds of that model. Only entries whose source has markup count.

For each entry: intact (its markup came back as in the source, no repair note), flagged (saved
fuzzy with a repair note), refused (the safety rules refused the answer: left untranslated),
or silently wrong (no note, markup differs: must be 0).

Usage, from the project root (writes bench/results/mt-markup.md):

    .venv/bin/python bench/mt_markup.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import deepl  # noqa: E402

from pipeline import config, extract, languages, translate, update  # noqa: E402
from pipeline.catalogs import marks, po  # noqa: E402
from pipeline.mt.deepl import DeepLEngine  # noqa: E402
from pipeline.source import markup  # noqa: E402
from tests.deepl_server import KEY, NO_TAG_HANDLING, FakeDeepL  # noqa: E402

SEEDS = range(20)
RESULT = ROOT / "bench" / "results" / "mt-markup.md"


def _project(into: Path) -> config.Config:
    shutil.copytree(ROOT / "source", into / "source")
    shutil.copy(ROOT / "pyproject.toml", into / "pyproject.toml")
    (into / "locale").mkdir()
    for name in ("glossary.csv", "glossary-forms.csv"):
        shutil.copy(ROOT / "locale" / name, into / "locale" / name)
    cfg = config.load(into)
    extract(cfg)
    return cfg


def _verdicts(cfg: config.Config, code: str, refused: set[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for entry in po.read(cfg.catalog_path(code), code).entries():
        want = Counter(markup.elements(markup.parse_inline(entry.msgid)))
        if not want or entry.msgctxt == "interface":
            continue
        if entry.msgid in refused:
            counts["refused"] += 1
        elif any("markup broken by MT" in m for m in marks.markers(entry)):
            counts["flagged"] += 1
        elif Counter(markup.elements(markup.parse_inline(entry.msgstr))) == want:
            counts["intact"] += 1
        else:
            counts["silently wrong"] += 1
    return counts


def run(codes: list[str], seed: int) -> tuple[dict[str, Counter[str]], dict[str, int]]:
    with tempfile.TemporaryDirectory() as tmp, FakeDeepL(character_limit=10**8, damage_seed=seed) as server:
        cfg = _project(Path(tmp))
        update(cfg, codes)
        result = translate(cfg, codes, DeepLEngine(KEY, server.url))
        if result.error is not None:
            raise SystemExit(f"translate failed: {result.error}")
        refused = {r.language: {m for m, _ in r.refused} for r in result.languages}
        billed = {r.language: r.characters for r in result.languages}
        return {c: _verdicts(cfg, c, refused[c]) for c in codes}, billed


def measure() -> tuple[dict[str, Counter[str]], dict[str, int]]:
    deepl.http_client.max_network_retries = 1
    plain = [c for c in languages.TARGET_CODES if languages.get(c).deepl in NO_TAG_HANDLING]
    tagged = [c for c in languages.TARGET_CODES if c not in plain]
    verdicts, billed = run(list(languages.TARGET_CODES), SEEDS[0])
    for seed in SEEDS[1:]:
        more, _ = run(plain, seed)
        for code in plain:
            verdicts[code] += more[code]
    assert set(tagged) | set(plain) == set(verdicts)
    return verdicts, billed


def report(verdicts: dict[str, Counter[str]], billed: dict[str, int]) -> str:
    lines = [
        "| language | entries with markup | intact | flagged for repair | refused | silently wrong "
        "| characters billed |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for code, counts in verdicts.items():
        total = sum(counts.values())
        runs = len(SEEDS) if languages.get(code).deepl in NO_TAG_HANDLING else 1
        intact, flagged, refused = (
            f"{100 * counts[key] / total:.1f}%" for key in ("intact", "flagged", "refused")
        )
        lines.append(
            f"| {code} | {total // runs} × {runs} runs | {intact} | {flagged} | "
            f"{refused} | {counts['silently wrong']} | {billed[code]:,} |"
        )
    lines.append(f"| **total billed** | | | | | | {sum(billed.values()):,} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    verdicts, billed = measure()
    table = report(verdicts, billed)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
