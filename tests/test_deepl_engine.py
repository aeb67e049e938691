"""The DeepL engine over HTTP: the real ``deepl`` client against a local server that keeps DeepL's rules."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from pipeline import config
from pipeline.catalogs import extract, update
from pipeline.errors import TranslateError
from pipeline.mt import plan as mt_plan
from pipeline.mt import run as translate
from pipeline.mt import xml_codec
from pipeline.mt.deepl import DeepLEngine
from pipeline.source import document
from pipeline.source.segments import segments as segments_of

from .deepl_server import KEY, FakeDeepL
from .helpers import (
    TERMS,
    assert_gettext_accepts,
    by_key,
    by_msgid,
    sent,
    set_pyproject,
    write_glossary,
)


@pytest.fixture
def engine(server: FakeDeepL) -> DeepLEngine:
    return DeepLEngine.from_environment()


def test_requests_hold_at_most_50_texts_and_128_kib(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    many = "\n\n".join(f"Short paragraph number {i}." for i in range(120))
    huge = "\n\n".join(f"Long paragraph {i}: " + "word " * 10_000 for i in range(3))
    text = cfg.source_path.read_text(encoding="utf-8")
    text = text.replace("Signed,", f"## Many\n\n{many}\n\n## Huge\n\n{huge}\n\nSigned,", 1)
    cfg.source_path.write_text(text, encoding="utf-8")
    extract.extract(cfg)
    path = catalog_for("de")
    [planned] = mt_plan.plan(cfg, ["de"])
    result = translate.translate(cfg, ["de"], engine)
    assert result.error is None and result.segments == 48 + 2 + 120 + 3
    bodies = server.state.translate_bodies
    assert max(len(b["text"]) for b in bodies) == mt_plan.MAX_TEXTS
    assert max(server.state.body_sizes) <= mt_plan.MAX_REQUEST_BYTES
    assert max(server.state.body_sizes) > 100 * 1024  # the huge ones did share requests
    many_requests = [b for b in bodies if b["context"].startswith("Many")]
    assert [len(b["text"]) for b in many_requests] == [50, 50, 21]  # the heading and 120 paragraphs
    huge_requests = [b for b in bodies if b["context"].startswith("Huge")]
    assert len(huge_requests) == 2
    assert len(bodies) == len(planned.batches)
    assert all(not e.msgstr.startswith("Long") for e in by_msgid(path).values())


def test_each_request_is_one_section_with_that_section_as_context(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    catalog_for("de")
    translate.translate(cfg, ["de"], engine)
    letter = document.read(cfg)
    segments = {
        xml_codec.encode(s.msgid, brace_format=s.brace_format).xml: s for s in segments_of(letter, cfg.root)
    }
    contexts = [b["context"] for b in server.state.translate_bodies]
    assert len(contexts) == len(set(contexts)) == 6
    history = next(b for b in server.state.translate_bodies if b["context"].startswith("Will you make"))
    assert history["text"][0] == "Will you make (the right kind of) history?"
    assert [segments[t].section for t in history["text"][1:]] == [
        "Will you make (the right kind of) history?"
    ] * 3
    for body in server.state.translate_bodies:
        sections = {segments[t].section for t in body["text"] if segments[t].comment != "heading"}
        assert len(sections) <= 1, sections
    # The context carries the section's text (all of it, not only what is sent), and is not billed.
    assert "over 70,000 EU citizens" in history["context"]
    for body in server.state.translate_bodies:
        assert body["source_lang"] == "EN" and body["target_lang"] == "DE"
        assert body["tag_handling"] == "xml" and body["tag_handling_version"] == "v2"
        assert body["ignore_tags"] == ["x"] and body["show_billed_characters"] is True
    text_only = sum(len("".join(ET.fromstring(f"<r>{t}</r>").itertext())) for t in sent(server))
    assert server.state.billed == text_only  # context is not billed, nor is markup


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        # Only where the target has the feature (DeepL's /v3/languages): never for FI or GA.
        ('formality = "more"', {"DE": "more", "PT-PT": "more", "FI": None, "GA": None}),
        ('formality = "less"', {"DE": "less", "PT-PT": "less", "FI": None, "GA": None}),
        ('formality = "default"', {"DE": None, "PT-PT": None, "FI": None, "GA": None}),
        (
            'formality = "prefer_more"\nformality-per-language = { de = "less", fi = "more" }',
            {"DE": "less", "PT-PT": "prefer_more", "FI": None, "GA": None},
        ),
    ],
)
def test_formality_is_sent_only_where_deepl_has_it(
    cfg: config.Config,
    catalog_for: Callable[[str], Path],
    server: FakeDeepL,
    engine: DeepLEngine,
    setting: str,
    expected: Mapping[str, str | None],
) -> None:
    cfg = set_pyproject(cfg, setting)
    codes = ["de", "pt", "fi", "ga"]
    update.update(cfg, codes)
    result = translate.translate(cfg, codes, engine)
    assert result.error is None  # the server answers 400 to "more" where DeepL has no formality
    sent = {b["target_lang"]: b.get("formality") for b in server.state.translate_bodies}
    assert sent == expected


def test_glossary_created_once_reused_replaced_when_terms_change(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    write_glossary(cfg, TERMS)
    for code in ("de", "fr", "ga", "hr", "it"):
        catalog_for(code)
    first = translate.translate(cfg, ["de", "ga", "hr"], engine)
    assert first.glossary is not None and first.glossary.created and first.glossary.skipped == ("ga", "hr")
    [glossary] = server.state.glossaries.values()
    assert glossary["name"].startswith("pipeline:reclaim-your-face:")
    assert sorted(d["target_lang"] for d in glossary["dictionaries"]) == ["de", "fr"]
    ids = {b["target_lang"]: b.get("glossary_id") for b in server.state.translate_bodies}
    assert ids == {"DE": glossary["glossary_id"], "GA": None, "HR": None}
    # The server applies the glossary, as DeepL would: German gets the term, Irish does not.
    term = "biometric mass surveillance"
    for code, expected in (("de", "biometrische Massenüberwachung"), ("ga", term)):
        using = [e for m, e in by_msgid(cfg.catalog_path(code)).items() if term in m]
        assert using and all(expected in e.msgstr for e in using), code
    second = translate.translate(cfg, ["fr"], engine)
    assert second.glossary is not None and not second.glossary.created
    assert server.state.glossaries_created == 1
    write_glossary(cfg, [*TERMS, "facial recognition,yes,,Gesichtserkennung,reconnaissance faciale,x,y"])
    third = translate.translate(cfg, ["it"], engine)
    assert third.glossary is not None and third.glossary.created and third.glossary.deleted == 1
    assert server.state.glossaries_created == 2 and len(server.state.glossaries) == 1
    assert third.glossary.skipped == () and third.glossary.missing == ("it",)  # no Italian column
    assert "glossary_id" not in server.state.translate_bodies[-1]


def test_no_glossary_file_means_no_glossary(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    catalog_for("de")
    result = translate.translate(cfg, ["de"], engine)
    assert result.glossary is None and server.state.requests["/v3/glossaries"] == 0


@pytest.mark.parametrize(
    ("fault", "times", "message"),
    [
        (dict(kind="status", status=429), 5, "DeepL is overloaded (HTTP 429) and still was after 2 retries"),
        (dict(kind="status", status=500), 5, "DeepL refused translating 15 texts into DE (HTTP 500)"),
        (dict(kind="status", status=503), 5, "DeepL refused translating 15 texts into DE (HTTP 503)"),
        (dict(kind="close"), 5, "no answer from DeepL after 2 retries (translating 15 texts into DE)"),
        (dict(kind="hang"), 5, "no answer from DeepL after 2 retries (translating 15 texts into DE)"),
        (dict(kind="short"), 1, "DeepL returned 14 translations for 15 texts"),
        (dict(kind="malformed"), 1, "DeepL returned 0 translations for 15 texts"),
        (dict(kind="no-billed"), 1, "DeepL sent a malformed answer (translating 15 texts into DE)"),
    ],
)
def test_service_faults_stop_cleanly_and_keep_progress(
    cfg: config.Config,
    catalog_for: Callable[[str], Path],
    server: FakeDeepL,
    engine: DeepLEngine,
    fault: dict[str, Any],
    times: int,
    message: str,
) -> None:
    path = catalog_for("de")
    before = path.read_bytes()
    server.hang_seconds = 0.6
    server.fail(times=times, **fault)  # the first request (the opening section: 15 texts) fails
    result = translate.translate(cfg, ["de"], engine)
    assert result.error is not None and message in str(result.error), str(result.error)
    assert "what was translated is saved: run the command again to carry on" in str(result.error)
    assert isinstance(result.error, TranslateError)
    assert path.read_bytes() == before  # nothing half-written: the file is as it was
    server.faults.clear()
    assert translate.translate(cfg, ["de"], engine).segments == 48


def test_retries_absorb_a_few_429s(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    catalog_for("de")
    server.fail("status", times=2, status=429)
    result = translate.translate(cfg, ["de"], engine)
    assert result.error is None and result.segments == 48
    assert server.state.requests["/v2/translate"] == 6 + 2


def test_a_rejected_key_is_named_never_shown(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog_for("de")
    wrong = "secret-wrong-key-123:fx"
    with pytest.raises(TranslateError) as err:
        translate.translate(cfg, ["de"], DeepLEngine(wrong, server.url))
    assert str(err.value).startswith("DeepL rejected the key in DEEPL_AUTH_KEY (HTTP 403)")
    assert wrong not in str(err.value) and wrong not in repr(DeepLEngine(wrong, server.url))


def test_a_missing_key_says_how_to_set_it() -> None:
    with pytest.raises(TranslateError, match=r"DEEPL_AUTH_KEY is not set: export DEEPL_AUTH_KEY="):
        DeepLEngine.from_environment({})
    engine = DeepLEngine.from_environment({"DEEPL_AUTH_KEY": " abc:fx ", "DEEPL_SERVER_URL": "http://h:1"})
    assert repr(engine) == "DeepLEngine(server_url='http://h:1')"


def test_languages_run_in_parallel_with_progress(
    cfg: config.Config, server: FakeDeepL, engine: DeepLEngine
) -> None:
    codes = ["bg", "cs", "da", "de", "et", "el"]
    update.update(cfg, codes)
    server.delay = 0.05
    seen: list[tuple[int, int]] = []
    result = translate.translate(cfg, codes, engine, progress=lambda done, total: seen.append((done, total)))
    assert result.error is None and result.segments == 6 * 48
    assert seen[-1] == (288, 288) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(seen) == result.requests == 36
    assert 1 < server.state.max_concurrent <= translate.WORKERS
    for code in codes:
        assert_gettext_accepts(cfg.catalog_path(code))


def test_a_killed_run_leaves_valid_catalogs_and_a_rerun_finishes(
    cfg: config.Config, server: FakeDeepL
) -> None:
    codes = ["de", "fr"]
    update.update(cfg, codes)
    planned = mt_plan.plan(cfg, codes)
    total = sum(p.characters for p in planned)
    server.delay = 0.15
    env = {**os.environ, "DEEPL_AUTH_KEY": KEY, "DEEPL_SERVER_URL": server.url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "translate", "--lang", "de", "--lang", "fr"],
        cwd=cfg.root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Kill it as soon as it has saved its first request.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(
        b"# pipeline: mt" in cfg.catalog_path(c).read_bytes() for c in codes
    ):
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    for code in codes:
        assert_gettext_accepts(cfg.catalog_path(code))
    remaining = sum(p.characters for p in mt_plan.plan(cfg, codes))
    assert 0 < remaining < total
    # Billed but not saved: only what was in flight at the kill, at most one request per language.
    lost = server.state.billed - (total - remaining)
    assert 0 <= lost <= 2 * max(b.characters for p in planned for b in p.batches)
    server.delay = 0
    result = translate.translate(cfg, codes, DeepLEngine(KEY, server.url))
    assert result.error is None and result.characters == remaining
    assert all(e.msgstr for c in codes for e in by_key(cfg.catalog_path(c)).values())
