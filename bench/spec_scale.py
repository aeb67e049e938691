"""A long real document at scale: the CommonMark spec (9,756 lines) in 23 languages.

Measures, each as the median of several runs, with peak memory (GNU time's maximum RSS):
  * extract (the template);
  * update of 23 translated catalogs after an edit of the source, against `msgmerge --previous`
    doing the same 23 merges;
  * check of one language (the command, and the check itself in a warm process);
  * render of one language's PDF, against WeasyPrint alone on the same HTML in a warm process.

Usage: .venv/bin/python bench/spec_scale.py   (needs `make commonmark`; writes bench/results/spec-scale.md)
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
RUNS = 5

from pipeline import config, languages  # noqa: E402
from pipeline.catalogs import po  # noqa: E402
from tests.commonmark import spec_text  # noqa: E402


def run(cmd: list[str], cwd: Path, findings: bool = False) -> tuple[float, int]:
    """Wall seconds and peak memory (KiB) of one command (``findings``: exit 1 is a result)."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], cwd=cwd, capture_output=True, text=True)
    if done.returncode not in ((0, 1) if findings else (0,)):
        raise RuntimeError(f"{cmd}: {done.stderr[-500:]}")
    return time.perf_counter() - start, int(done.stderr.strip().splitlines()[-1])


def median(samples: list[tuple[float, int]]) -> tuple[float, int]:
    return statistics.median(s for s, _ in samples), max(m for _, m in samples)


def project(folder: Path) -> config.Config:
    (folder / "source").mkdir(parents=True)
    (folder / "source" / "spec.md").write_text(spec_text(), encoding="utf-8")
    codes = ", ".join(f'"{c}"' for c in languages.TARGET_CODES)
    (folder / "pyproject.toml").write_text(
        f'[tool.pipeline]\nsource = "source/spec.md"\ndomain = "spec"\nlanguages = [{codes}]\n',
        encoding="utf-8",
    )
    return config.load(folder)


def translate_all(cfg: config.Config) -> None:
    """Every entry of every catalog filled, differently in each language (the text, with the
    language's code before it): catalogs as big as translated ones, no two alike."""
    for code in languages.TARGET_CODES:
        path = cfg.catalog_path(code)
        catalog = po.read(path, code)
        for entry in catalog.entries():
            entry.msgstr = f"{code}: {entry.msgid}"
        path.write_bytes(po.serialise(catalog.po, path))


def edit_source(cfg: config.Config) -> None:
    """One paragraph in twenty changes a word, as a revision of the source does."""
    paragraphs = cfg.source_path.read_text(encoding="utf-8").split("\n\n")
    for i in range(0, len(paragraphs), 20):
        if not paragraphs[i].startswith(("```", "#", "---")):
            paragraphs[i] = paragraphs[i].replace(" the ", " a ", 1)
    cfg.source_path.write_text("\n\n".join(paragraphs), encoding="utf-8")


def alternate(a: Callable[[], tuple[float, int]], b: Callable[[], tuple[float, int]]) -> tuple[tuple, tuple]:
    first, second = [], []
    for _ in range(RUNS):
        first.append(a())
        second.append(b())
    return median(first), median(second)


def update_vs_msgmerge(cfg: config.Config, root: Path) -> tuple[tuple, tuple]:
    saved = root / "saved-locale"
    shutil.copytree(root / "locale", saved)
    pot = cfg.template_path
    merges = " ".join(
        f"msgmerge --quiet --previous --update --backup=none {cfg.catalog_path(c)} {pot};"
        for c in languages.TARGET_CODES
    )

    def restore() -> None:
        shutil.rmtree(root / "locale")
        shutil.copytree(saved, root / "locale")

    def ours() -> tuple[float, int]:
        restore()
        return run([str(BIN / "pipeline"), "update"], root)

    def theirs() -> tuple[float, int]:
        restore()
        return run(["bash", "-c", merges], root)

    return alternate(ours, theirs)


WARM_CHECK = """
import sys, time
from pathlib import Path
from pipeline import config
from pipeline.checks import catalog
from pipeline.source import document, markup
cfg = config.load(Path(sys.argv[1]))
catalog.check_catalog(cfg, "fr", None)  # imports done, parsers built
doc = document.read(cfg)  # as `pipeline check` does: the source is read once for every language
times = []
for _ in range(5):
    markup.parsed.cache_clear()  # as a process meets the catalog: nothing parsed yet
    markup.has_raw_html.cache_clear()
    markup._visible_text.cache_clear()
    start = time.perf_counter()
    catalog.check_catalog(cfg, "de", None, doc)
    times.append(time.perf_counter() - start)
print(sorted(times)[2])
"""

WARM_RENDER = """
import sys, time, dataclasses
from pathlib import Path
from pipeline import config
from pipeline.typeset import fontconfig, lookup, output, page
from pipeline.typeset.pdf import write_pdf
from pipeline.source import document
cfg = config.load(Path(sys.argv[1])); which = sys.argv[2]
fontconfig.isolate()
import weasyprint
doc = document.read(cfg)
def ours():
    output.pdf_bytes(cfg, doc, lookup.load(cfg, "de"), "r")
built = page.build_page(doc, lookup.load(cfg, "de"), mode="pdf", revision="r", organisation="O", fonts=[])
html = page.to_html(dataclasses.replace(built, fonts=output._font_urls(page.to_html(built))))
def bare():
    weasyprint.HTML(string=html, base_url="/").write_pdf(pdf_variant="pdf/ua-1")
work = ours if which == "pipeline" else bare
work()
times = []
for _ in range(3):
    start = time.perf_counter(); work(); times.append(time.perf_counter() - start)
print(sorted(times)[1])
"""


def warm(code: str, *args: str) -> tuple[float, int]:
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", sys.executable, "-c", code, *args],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return float(done.stdout.strip().splitlines()[-1]), int(done.stderr.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cfg = project(root)
        pipeline = str(BIN / "pipeline")
        extract = median([run([pipeline, "extract"], root) for _ in range(RUNS)])
        run([pipeline, "update"], root)
        translate_all(cfg)
        entries = len(po.read(cfg.template_path, None).entries())
        edit_source(cfg)
        run([pipeline, "extract"], root)
        update, msgmerge = update_vs_msgmerge(cfg, root)
        check_cli = median(
            [run([pipeline, "check", "--lang", "de"], root, findings=True) for _ in range(RUNS)]
        )
        check_all = median([run([pipeline, "check"], root, findings=True) for _ in range(3)])
        check_warm = warm(WARM_CHECK, str(root))
        render_ours, render_bare = [], []
        for _ in range(2):
            render_ours.append(warm(WARM_RENDER, str(root), "pipeline"))
            render_bare.append(warm(WARM_RENDER, str(root), "weasyprint"))
        ours, bare = median(render_ours), median(render_bare)
    rows = [
        ("extract (the template)", extract, ""),
        (
            f"update, 23 translated catalogs of {entries} entries",
            update,
            f"{update[0] / msgmerge[0]:.2f} × msgmerge",
        ),
        ("msgmerge --previous, the same 23 merges", msgmerge, "goal for update: at most 2×"),
        ("check --lang de (the command)", check_cli, ""),
        (
            "check, the source and all 23 languages (the command)",
            check_all,
            f"{(check_all[0] - check_cli[0]) / 22:.2f} s a language",
        ),
        ("check of one language, the source read (in-process)", check_warm, "goal: under 0.5 s"),
        ("render one PDF, warm (in-process)", ours, f"{ours[0] / bare[0]:.2f} × WeasyPrint"),
        ("WeasyPrint alone, the same HTML, warm", bare, "goal for render: at most 1.2×"),
    ]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} by `bench/spec_scale.py`: the CommonMark spec "
        f"(markdown-it-py's sdist) in 23 languages, medians of {RUNS} runs (render: of 2 processes × 3).",
        "",
        "| run | seconds | peak memory | ratio |",
        "|---|---:|---:|---|",
        *[f"| {name} | {sec:.2f} | {mem / 1024:.0f} MiB | {ratio} |" for name, (sec, mem), ratio in rows],
        "",
    ]
    out = ROOT / "bench" / "results" / "spec-scale.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
