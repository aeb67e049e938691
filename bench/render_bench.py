"""Measure rendering every language: (a) pipeline render --all --force, (b) WeasyPrint alone
in one warm process, (c) the weasyprint command once per language, (d) a run with nothing to do.

Usage: .venv/bin/python bench/render_bench.py   (from the project root; writes bench/results/render.md)
"""

from __future__ import annotations

import dataclasses
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def documents(folder: Path) -> list[Path]:
    """The same 24 letters (PDF flavour of the HTML) that (a) renders, as files."""
    from pipeline import config, languages
    from pipeline.publish import state
    from pipeline.source import document
    from pipeline.typeset import lookup, output, page

    cfg = config.load(ROOT)
    doc = document.read(cfg)
    paths = []
    for lang in languages.LANGUAGES:
        tr = lookup.load(cfg, lang.code)
        built = page.build_page(
            doc,
            tr,
            mode="pdf",
            revision=state.revision(cfg, lang.code),
            organisation=cfg.organisation,
            fonts=[],
        )
        built = dataclasses.replace(built, fonts=output._font_urls(page.to_html(built)))
        path = folder / f"{lang.code}.html"
        path.write_text(page.to_html(built), encoding="utf-8")
        paths.append(path)
    return paths


def warm_weasyprint(paths: list[Path]) -> float:
    code = (
        "import sys, time, weasyprint\n"
        "paths = sys.argv[1:]\n"
        "start = time.perf_counter()\n"
        "for p in paths:\n"
        "    weasyprint.HTML(filename=p).write_pdf(p + '.pdf', pdf_variant='pdf/ua-1')\n"
        "print(time.perf_counter() - start)\n"
    )
    command = [sys.executable, "-c", code, *map(str, paths)]
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=_fair())
    return float(out.stdout.strip())


def _fair() -> dict[str, str]:
    """WeasyPrint alone sees the same fonts as the pipeline: the project's fontconfig file, not
    the machine's hundreds of Noto faces (which it would scan and fall back through)."""
    from pipeline.typeset import fontconfig

    return {**os.environ, "FONTCONFIG_FILE": str(fontconfig.write_conf())}


def cli_loop(paths: list[Path]) -> float:
    script = 'for f in "$@"; do "$WEASYPRINT" --pdf-variant pdf/ua-1 "$f" "$f.cli.pdf"; done'
    env = {**_fair(), "WEASYPRINT": str(BIN / "weasyprint")}
    start = time.perf_counter()
    subprocess.run(["bash", "-c", script, "loop", *map(str, paths)], check=True, env=env, capture_output=True)
    return time.perf_counter() - start


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({model}), {mem:.0f} GiB, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, WeasyPrint {metadata.version('weasyprint')}"
    )


ROUNDS = 3  # (a), (a′) and (b) alternate: this machine's speed drifts by a tenth within minutes


def main() -> None:
    pipeline = str(BIN / "pipeline")
    timed([pipeline, "render", "--all"])  # warm the font cache and the OS file cache
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = documents(Path(tmp))
        for _ in range(ROUNDS):
            a = timed([pipeline, "render", "--all", "--force"])
            b = warm_weasyprint(paths)
            a_pdf = timed([pipeline, "render", "--all", "--force", "--format", "pdf"])
            rounds.append((a, a_pdf, b))
        c = cli_loop(paths)
    timed([pipeline, "render", "--all"])
    d_runs = [timed([pipeline, "render", "--all"]) for _ in range(5)]
    d = statistics.median(d_runs)
    a, a_pdf, b = (statistics.median(r[i] for r in rounds) for i in range(3))
    ratio = statistics.median(r[0] / r[2] for r in rounds)
    ratio_pdf = statistics.median(r[1] / r[2] for r in rounds)
    each = ", ".join(f"{r[0] / r[2]:.2f}" for r in rounds)
    rows = [
        ("(a) `pipeline render --all --force` (24 PDFs + 24 web pages, 2 workers)", a, f"{ratio:.2f} × (b)"),
        ("(a′) the same, PDFs only (`--format pdf`)", a_pdf, f"{ratio_pdf:.2f} × (b)"),
        ("(b) WeasyPrint alone, 24 PDFs one after another in one warm process", b, "1.00 × (b)"),
        ("(c) the `weasyprint` command once per language (shell loop)", c, f"{c / b:.2f} × (b)"),
        ("(d) `pipeline render --all` with nothing to do (median of 5)", d, "goal: under 0.5 s"),
    ]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} by `bench/render_bench.py` on {machine()}.",
        f"(a), (a′) and (b): medians of {ROUNDS} rounds run in turn, a ratio the median of the rounds' "
        f"ratios (a/b each round: {each}).",
        "",
        "| run | seconds | ratio |",
        "|---|---:|---|",
        *[f"| {name} | {sec:.2f} | {ratio} |" for name, sec, ratio in rows],
        "",
    ]
    out = ROOT / "bench" / "results" / "render.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    shutil.rmtree(ROOT / "output" / ".bench", ignore_errors=True)


if __name__ == "__main__":
    main()
