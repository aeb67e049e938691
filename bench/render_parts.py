"""Where a render's time goes: per language in one warm process, a worker's first document, and
what each kept cache saves. The ratio itself is bench/render_bench.py's.

Measures:
  * importing WeasyPrint in a fresh process (and its `cffi` declarations and library look-ups,
    weasyprint.text.ffi, alone), median of 3;
  * a worker's first document against the same document again, in a fresh process, median of 3;
  * per language, over the 24 in one warm process: WeasyPrint (parsing, layout, writing), and the
    pipeline's own work (the checks, the PDF/UA margin marking, the web page, the rest);
  * the caches: Pyphen's parse of German and Hungarian against reading the kept patterns; the
    faces' cmaps from fontTools against the kept ones; the language names from Babel against
    the kept ones.

Usage: .venv/bin/python bench/render_parts.py   (from the project root; writes bench/results/render-parts.md)
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3


def _fresh(code: str) -> dict[str, float]:
    """Run ``code`` in a new Python process; it prints a JSON object of seconds."""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _median(code: str) -> dict[str, float]:
    runs = [_fresh(code) for _ in range(RUNS)]
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


IMPORT = """
import json, time
from pipeline.typeset import fontconfig, hyphenation
fontconfig.isolate(); hyphenation.register()
t = time.perf_counter(); import weasyprint; t1 = time.perf_counter()
print(json.dumps({"weasyprint": t1 - t}))
"""


def _ffi_self() -> float:
    """weasyprint.text.ffi's own import time (Python's -X importtime, its 'self' column)."""
    code = "from pipeline.typeset import fontconfig; fontconfig.isolate(); import weasyprint"
    runs = []
    for _ in range(RUNS):
        err = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stderr
        [line] = [x for x in err.splitlines() if x.split("|")[-1].strip() == "weasyprint.text.ffi"]
        runs.append(int(line.split(":")[1].split("|")[0]) / 1e6)
    return statistics.median(runs)


FIRST = """
import json, time
from pathlib import Path
from pipeline import config
from pipeline.publish import language
cfg = config.load(Path("."))
source = language.read_source(cfg)
from pipeline.typeset import fontconfig, hyphenation
fontconfig.isolate(); hyphenation.register()
import weasyprint
times = []
for _ in range(2):
    t = time.perf_counter()
    language.render_language(cfg, "de", ("pdf", "html"), force=True, source=source)
    times.append(time.perf_counter() - t)
print(json.dumps({"first": times[0], "again": times[1]}))
"""

CACHES = """
import json, time
from pathlib import Path
from fontTools.ttLib import TTFont
import pyphen
from pipeline import languages
from pipeline.typeset import fonts, hyphenation
hyphenation.register()
out = {}
for code in ("de", "hu"):
    path = Path(pyphen.LANGUAGES[pyphen.language_fallback(code)])
    own = type(pyphen.HyphDict(path)).__mro__[1]  # Pyphen's own class
    t = time.perf_counter(); own(path); t1 = time.perf_counter()
    pyphen.HyphDict(path); t2 = time.perf_counter()  # read back from the kept file
    out[f"parse {code}"], out[f"kept {code}"] = t1 - t, t2 - t1
faces = fonts.all_faces()
t = time.perf_counter()
for face in faces: frozenset(TTFont(face.path, lazy=True).getBestCmap())
t1 = time.perf_counter()
for face in faces: fonts._cmap(face.path)
t2 = time.perf_counter()
out["cmaps fontTools"], out["cmaps kept"] = t1 - t, t2 - t1
t = time.perf_counter()
[languages._from_babel(lang) for lang in languages.LANGUAGES]
t1 = time.perf_counter()
languages.autonym("de"); t2 = time.perf_counter()
out["names Babel"], out["names kept"] = t1 - t, t2 - t1
print(json.dumps(out))
"""


def per_language() -> dict[str, float]:
    """Seconds a language, over all 24 in one process (after one language warmed it)."""
    import weasyprint
    from weasyprint.document import Document as Laid

    from pipeline import config, languages
    from pipeline.checks import catalog as checks
    from pipeline.publish import language
    from pipeline.typeset import output, tagging

    spent: dict[str, float] = {}

    def timed(owner: object, name: str, key: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[key] = spent.get(key, 0.0) + time.perf_counter() - start

        setattr(owner, name, wrapper)

    timed(weasyprint.HTML, "__init__", "WeasyPrint: parsing the HTML")
    timed(weasyprint.HTML, "render", "WeasyPrint: style and layout")
    timed(Laid, "write_pdf", "WeasyPrint: writing the PDF")
    timed(checks, "check_catalog", "own: the catalog's checks")
    timed(tagging, "margins_as_artifacts", "own: the PDF/UA margin marking")
    timed(output, "html_bytes", "own: the web page")
    cfg = config.load(ROOT)
    source = language.read_source(cfg)
    codes = [lang.code for lang in languages.LANGUAGES]
    language.render_language(cfg, "de", ("pdf", "html"), force=True, source=source)
    spent.clear()
    start = time.perf_counter()
    for code in codes:
        language.render_language(cfg, code, ("pdf", "html"), force=True, source=source)
    total = time.perf_counter() - start
    result = {key: value / len(codes) for key, value in spent.items()}
    weasy = sum(v for k, v in result.items() if k.startswith("WeasyPrint"))
    named = sum(v for k, v in result.items() if k.startswith("own"))
    result["own: the rest (the PDF's page, the lookup, fingerprints, writing)"] = (
        total / len(codes) - weasy - named
    )
    result["WeasyPrint, in all"] = weasy
    result["own, in all"] = total / len(codes) - weasy
    return result


def main() -> None:
    imported = {**_median(IMPORT), "ffi": _ffi_self()}
    first = _median(FIRST)
    caches = _median(CACHES)
    parts = per_language()
    rows = [
        ("importing WeasyPrint (fresh process)", imported["weasyprint"]),
        ("… of which weasyprint.text.ffi (`cffi` declarations, library look-ups)", imported["ffi"]),
        ("a worker's first document (de, PDF and web page)", first["first"]),
        ("the same document again", first["again"]),
        *((f"a language: {key}", value) for key, value in parts.items()),
        *((f"cache: {key}", value) for key, value in caches.items()),
    ]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} by `bench/render_parts.py` "
        f"(fresh-process figures: median of {RUNS}).",
        "",
        "| what | seconds |",
        "|---|---:|",
        *[f"| {name} | {sec:.3f} |" for name, sec in rows],
        "",
    ]
    out = ROOT / "bench" / "results" / "render-parts.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
