"""Print quality on every language's PDF: pages a typesetter would sign off, the same bytes on
every machine (a fresh font cache, any number of workers)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from pipeline import languages
from pipeline.typeset import hyphenation

from . import pdfua
from .helpers import ROOT, copy_glossary

SLUG = "reclaim-your-face-open-letter"
# The lines a page shows besides its text: the draft mark, the page label and the revision.
RUNNING = 3
LEAST_LINES = 4  # a last page holds at least this many lines of text


def _render(root: Path, *args: str, cache: Path | None = None) -> None:
    env = {**os.environ, **({"PIPELINE_CACHE_DIR": str(cache)} if cache else {})}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "render", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with its shipped drafts, every language rendered once (two workers, PDF and
    web page)."""
    root = tmp_path_factory.mktemp("print")
    shutil.copytree(ROOT / "source", root / "source")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    copy_glossary(root)
    for code in languages.TARGET_CODES:
        folder = root / "locale" / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        shutil.copy(ROOT / "locale" / code / "LC_MESSAGES" / "letter.po", folder / "letter.po")
    shutil.copy(ROOT / "locale" / "letter.pot", root / "locale" / "letter.pot")
    _render(root, "--all", "--jobs", "2")
    return root


def _pdf(root: Path, code: str) -> Path:
    return root / "output" / code / f"{SLUG}-{code}.pdf"


def _page_lines(pdf: Path, page: int) -> list[str]:
    done = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in done.stdout.splitlines() if line.strip()]


def _pages(pdf: Path) -> int:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(next(ln.split()[1] for ln in done.stdout.splitlines() if ln.startswith("Pages:")))


@pytest.mark.parametrize("code", ["en", *languages.TARGET_CODES])
def test_no_last_page_holds_only_a_line_or_two(shipped: Path, code: str) -> None:
    pdf = _pdf(shipped, code)
    pages = _pages(pdf)
    lines = _page_lines(pdf, pages)
    running = RUNNING if code != "en" else RUNNING - 1  # the original carries no draft mark
    assert len(lines) - running >= LEAST_LINES, (code, pages, lines)
    # The closing note never stands alone: the page that has it has the text before it too.
    original = _page_lines(pdf, pages)
    assert len(original) > running + 1


def test_a_fresh_font_cache_and_one_worker_give_the_same_bytes(shipped: Path, tmp_path: Path) -> None:
    """Fonts instanced anew (another cache folder), rendered in one process, in another copy of
    the project: every byte the same."""
    codes = ("de", "el", "ga")
    copy = tmp_path / "copy"
    shutil.copytree(shipped, copy, ignore=shutil.ignore_patterns("output"))
    fresh = tmp_path / "fresh-cache"
    # What set-up puts in a cache besides the fonts: the hyphenation dictionaries (made from
    # Debian's package, which no test may fetch), as they are.
    # Debian's package, which no test may fetch), as they are; not the parsed patterns.
    shutil.copytree(hyphenation.folder(), fresh / "hyphenation", ignore=shutil.ignore_patterns("parsed"))
    args = [arg for code in codes for arg in ("--lang", code)]
    _render(copy, *args, "--format", "pdf", "--jobs", "1", cache=fresh)
    assert (fresh / "fonts").is_dir()  # instanced there, not read from the usual cache
    assert len(list((fresh / "hyphenation" / "parsed").glob("hyph_*.marshal"))) >= 3  # parsed there
    assert [c for c in codes if _pdf(copy, c).read_bytes() != _pdf(shipped, c).read_bytes()] == []


def _broken_lines(pdf: Path) -> int:
    """Lines of the PDF that end in a hyphen WeasyPrint inserted (U+2010)."""
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return sum(line.endswith("\u2010") for line in done.stdout.splitlines())


@pytest.mark.parametrize("code", ["fi", "ga"])
def test_finnish_and_irish_are_justified_and_hyphenated_from_hyph_utf8(shipped: Path, code: str) -> None:
    assert hyphenation.dictionary(code) is not None, "make hyphenation"
    assert _broken_lines(_pdf(shipped, code)) >= 5
    html = (shipped / "output" / code / f"{SLUG}-{code}.html").read_text(encoding="utf-8")
    assert "text-align: justify; hyphens: auto; hyphenate-limit-chars:" in html


def test_maltese_stays_ragged_right_without_patterns(shipped: Path) -> None:
    assert _broken_lines(_pdf(shipped, "mt")) == 0


def test_tex_exceptions_become_patterns_that_win() -> None:
    assert hyphenation.exception_pattern("ta-ble") == ".t8a9b8l8e."
    import pyphen

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hyph_xx.dic"
        path.write_text(hyphenation.to_dic("1b 1l", "table"), encoding="utf-8")
        words = pyphen.Pyphen(filename=str(path), left=1, right=1)
        assert words.inserted("abla") == "a-b-la" and words.inserted("table") == "table"


# Hungarian has Pyphen's nonstandard breaks ("asszony" breaks as "asz-szony"), German the most
# patterns, Irish is ours: what the kept patterns give must be what Pyphen's parse gives.
WORDS = {
    "hu": ["asszony", "hosszú", "megszentségteleníthetetlenségeskedéseitekért", "kulccsal", "eddzen"],
    "de": ["Grundrechteverletzungen", "Massenüberwachung", "Strafverfolgungsbehörden"],
    "ga": ["ollfhaireachas", "bithmhéadrach", "Parlaimint"],
}


@pytest.mark.parametrize("code", sorted(WORDS))
def test_parsed_patterns_are_kept_and_break_words_as_pyphen_does(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyphen

    shutil.copytree(hyphenation.folder(), tmp_path / "hyphenation", ignore=shutil.ignore_patterns("parsed"))
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path))
    hyphenation.register()
    path = pyphen.LANGUAGES[pyphen.language_fallback(code)]
    parsed = type(pyphen.HyphDict(path)).__mro__[1](path)  # Pyphen's own class: a parse of its own
    [kept] = (tmp_path / "hyphenation" / "parsed").glob(f"{path.stem}-*.marshal")
    read_back = pyphen.HyphDict(path)
    assert read_back.patterns == parsed.patterns and read_back.maxlen == parsed.maxlen
    pyphen.hdcache.pop(path, None)
    ours, theirs = pyphen.Pyphen(filename=path), pyphen.Pyphen(filename=path)
    theirs.hd = parsed
    assert ours.hd is not parsed
    for word in WORDS[code]:
        assert [(p, p.data) for p in ours.hd.positions(word)] == [(p, p.data) for p in parsed.positions(word)]
        assert ours.inserted(word) == theirs.inserted(word)
    if code == "hu":  # the nonstandard break survives the keeping
        assert ours.inserted("asszony") == "asz-szony"
    import marshal

    whole = kept.read_bytes()
    shapes = [
        b"\x00 not patterns",
        marshal.dumps((2, 5, {"ab": ("x", (1,))}, ())),  # no digest
        whole[:-1],  # cut short
        whole[:-2] + bytes([whole[-2] ^ 1]) + whole[-1:],  # one bit changed
        *(  # whole, but not the shape this writes
            hyphenation._MAGIC + hashlib.sha256(payload).digest() + payload
            for payload in (marshal.dumps([1, 2]), marshal.dumps((2, 5, {}, ("ab",))))
        ),
    ]
    for damaged in shapes:  # parsed again, and kept again whole
        kept.write_bytes(damaged)
        assert not hyphenation._restore(type(parsed).__new__(type(parsed)), kept, pyphen.DataInt)
        again = pyphen.HyphDict(path)
        assert again.patterns == parsed.patterns
        assert hyphenation._restore(type(again).__new__(type(again)), kept, pyphen.DataInt)


def test_a_changed_dictionary_is_kept_under_another_name(tmp_path: Path) -> None:
    first = hyphenation.parsed_path(tmp_path / "hyph_xx.dic", b"UTF-8\n1b\n")
    assert first != hyphenation.parsed_path(tmp_path / "hyph_xx.dic", b"UTF-8\n1c\n")
    assert first == hyphenation.parsed_path(tmp_path / "hyph_xx.dic", b"UTF-8\n1b\n")


@pytest.mark.parametrize("code", ["en", "de", "el", "bg", "ga", "mt"])
def test_the_pdf_meets_the_listed_pdf_ua_conditions(shipped: Path, code: str) -> None:
    assert pdfua.failures(str(_pdf(shipped, code))) == []


def test_the_checker_sees_what_weasyprint_alone_leaves(
    shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the pipeline's marking, WeasyPrint's running header and footer are tagged text:
    the checker fails it, so its passing above means something."""
    from pipeline import config
    from pipeline.source import document
    from pipeline.typeset import lookup, output, tagging

    cfg = config.load(shipped)
    doc, tr = document.read(cfg), lookup.load(cfg, "de")
    monkeypatch.setattr(tagging, "margins_as_artifacts", lambda data: data)
    raw, _ = output.pdf_bytes(cfg, doc, tr, "0123456789")
    (tmp_path / "raw.pdf").write_bytes(raw)
    found = pdfua.failures(str(tmp_path / "raw.pdf"))
    assert found and all(f.startswith("01-005") for f in found)
