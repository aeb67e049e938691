"""Machine translation: the real DeepL client against a local server that keeps DeepL's rules."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import deepl
import polib
import pytest
from click.testing import Result

from pipeline import config
from pipeline.catalogs import extract, marks, po, update
from pipeline.catalogs.marks import State
from pipeline.checks import catalog as check
from pipeline.errors import NoCatalogError, TranslateError
from pipeline.mt import engine as mt_engine
from pipeline.mt import plan as mt_plan
from pipeline.mt import run as translate
from pipeline.mt import xml_codec
from pipeline.mt.deepl import DeepLEngine
from pipeline.source import document, markup
from pipeline.source.segments import segments as segments_of

from .conftest import set_translations
from .deepl_server import KEY, FakeDeepL

RECORD = re.compile(r"^pipeline: mt deepl model=quality_optimized \d{4}-\d\d-\d\d sha=([0-9a-f]{16})$")
EDITED_FROM = "These harms are not hypothetical."
EDITED_TO = "These harms are not at all hypothetical."


@pytest.fixture(autouse=True)
def fast_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the client's retries, but make them quick: 2 retries, short timeouts and backoff."""
    monkeypatch.setattr(deepl.http_client, "max_network_retries", 2)
    monkeypatch.setattr(deepl.http_client, "min_connection_timeout", 0.3)
    monkeypatch.setattr(deepl.http_client._BackoffTimer, "BACKOFF_INITIAL", 0.01)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDeepL]:
    with FakeDeepL() as fake:
        monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
        monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
        yield fake


@pytest.fixture
def engine(server: FakeDeepL) -> DeepLEngine:
    return DeepLEngine.from_environment()


def _entries(path: Path) -> dict[tuple[str | None, str], polib.POEntry]:
    return {(e.msgctxt, e.msgid): e for e in po.read(path, path.parent.parent.name).entries()}


def _by_msgid(path: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in po.read(path, path.parent.parent.name).entries()}


def _sent(server: FakeDeepL, target: str | None = None) -> list[str]:
    return [t for b in server.state.translate_bodies if target in (None, b["target_lang"]) for t in b["text"]]


def _edit_source(cfg: config.Config, old: str, new: str) -> None:
    text = cfg.source_path.read_text(encoding="utf-8")
    assert old in text
    cfg.source_path.write_text(text.replace(old, new, 1), encoding="utf-8")
    extract.extract(cfg)


def _set_pyproject(cfg: config.Config, lines: str) -> config.Config:
    path = cfg.root / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^formality = .*$", lines, text, count=1, flags=re.M), encoding="utf-8")
    return config.load(cfg.root)


def _write_glossary(cfg: config.Config, rows: Sequence[str]) -> None:
    path = cfg.glossary_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("term,translate,note,de,fr,ga,hr\n" + "".join(r + "\n" for r in rows), encoding="utf-8")


TERMS = [
    "biometric mass surveillance,yes,,biometrische Massenüberwachung,surveillance biométrique de masse,"
    "ollfhaireachas bithmhéadrach,biometrijski masovni nadzor",
    "RBI,no,,RBI,RBI,RBI,RBI",
]


def _msgfmt_and_msgcat_accept(path: Path) -> None:
    checked = subprocess.run(
        ["msgfmt", "-c", "--check-format", "-o", os.devnull, str(path)], capture_output=True, text=True
    )
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr
    assert subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout == path.read_bytes()


# -- what is sent, and what is written --------------------------------------------


def test_untranslated_entries_become_fuzzy_machine_translations_with_a_record(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    path = catalog_for("de")
    [planned] = mt_plan.plan(cfg, ["de"])
    result = translate.translate(cfg, ["de"], engine)
    assert result.error is None and result.segments == planned.segments == 45
    assert result.characters == planned.characters == server.state.billed
    for entry in _entries(path).values():
        assert marks.state(entry) is State.UNREVIEWED, entry.msgid
        [record] = marks.markers(entry)
        match = RECORD.match(record)
        assert match and match.group(1) == marks.digest(entry.msgstr), record
        assert entry.previous_msgid is None
        assert "\\[DE\\] " in entry.msgstr or entry.msgid == "{place}, {date}"  # "[DE]" escaped as Markdown
    _msgfmt_and_msgcat_accept(path)


def test_a_second_run_sends_nothing_and_writes_nothing(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    path = catalog_for("de")
    translate.translate(cfg, ["de"], engine)
    before, requests = path.read_bytes(), sum(server.state.requests.values())
    result = translate.translate(cfg, ["de"], engine)
    assert result.segments == result.characters == 0
    assert path.read_bytes() == before
    assert sum(server.state.requests.values()) == requests  # not even the usage is asked


def test_markup_survives_and_urls_are_never_sent(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    path = catalog_for("fr")
    translate.translate(cfg, ["fr"], engine)
    sent = " ".join(_sent(server))
    assert "http" not in sent and "](" not in sent and "[^" not in sent
    findings = [
        f for f in check.check_catalog(cfg, "fr", None) if f.code in ("markup", "unsafe", "link-target")
    ]
    assert findings == []
    for entry in _entries(path).values():
        src = Counter(markup.elements(markup.parse_inline(entry.msgid)))
        assert Counter(markup.elements(markup.parse_inline(entry.msgstr))) == src, entry.msgid
    dateline = _entries(path)[("interface", "{place}, {date}")]
    assert dateline.msgstr == "{place}, {date}"  # fields are placeholders; nothing to translate around them


def test_what_a_person_wrote_is_never_replaced_only_untouched_machine_text_is_redone(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    path = catalog_for("de")
    translate.translate(cfg, ["de"], engine)
    # One entry of each kind: reviewed, a team draft, machine text a person edited, untouched machine text.
    reviewed, draft, edited = (
        "Dear honourable Members of the European Parliament,",
        "Brussels",
        "The AI Act is the obvious way",
    )

    def person(entry: polib.POEntry) -> tuple[str, bool] | None:
        if entry.msgid == reviewed:
            return "Sehr geehrte Abgeordnete,", False
        if entry.msgid == draft:
            entry.tcomment = marks.DRAFT_NOTE
            return "Brüssel", True
        if entry.msgid.startswith(edited):
            return entry.msgstr + " (Anna)", True  # edited, still fuzzy
        return None

    set_translations(path, person)
    _edit_source(cfg, "Dear honourable Members", "Dear honourable members")
    _edit_source(cfg, "place: Brussels", "place: Brussels (Belgium)")
    _edit_source(cfg, "The AI Act is the obvious way", "The AI Act is the clear way")
    _edit_source(cfg, EDITED_FROM, EDITED_TO)
    update.update(cfg, ["de"])
    stale = [e for e in _entries(path).values() if marks.state(e) is State.STALE]
    assert len(stale) == 4
    sent_before = len(_sent(server))
    result = translate.translate(cfg, ["de"], engine)
    assert result.segments == 1
    [text] = _sent(server)[sent_before:]
    assert text.startswith("These harms are not at all hypothetical.")
    entries = _by_msgid(path)
    redone = next(e for m, e in entries.items() if m.startswith(EDITED_TO))
    assert marks.state(redone) is State.UNREVIEWED and redone.previous_msgid is None
    assert redone.msgstr.startswith("\\[DE\\] These harms are not at all")
    assert (
        entries["Dear honourable members of the European Parliament,"].msgstr == "Sehr geehrte Abgeordnete,"
    )
    assert entries["Brussels (Belgium)"].msgstr == "Brüssel"
    assert marks.DRAFT_NOTE in entries["Brussels (Belgium)"].tcomment
    clear = next(e for m, e in entries.items() if m.startswith("The AI Act is the clear way"))
    assert clear.msgstr.endswith(" (Anna)") and marks.state(clear) is State.STALE


def test_identical_msgids_go_once_per_language(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    # A body heading that is also an interface string: two entries, one msgid.
    _edit_source(cfg, "Signed,", "## Organisational signatories\n\nSigned,")
    for code in ("de", "fi"):
        catalog_for(code)
    translate.translate(cfg, ["de", "fi"], engine)
    for target in ("DE", "FI"):
        assert _sent(server, target).count("Organisational signatories") == 1
    entries = _entries(cfg.catalog_path("de"))
    assert (
        entries[("interface", "Organisational signatories")].msgstr == "\\[DE\\] Organisational signatories"
    )
    assert entries[(None, "Organisational signatories")].msgstr == "\\[DE\\] Organisational signatories"


def test_broken_markup_is_saved_fuzzy_with_a_note_never_accepted(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    path = catalog_for("de")

    # The machine drops a footnote reference at the end, and moves a link out of its strong emphasis.
    def mangle(text: str, target: str) -> str:
        text = re.sub(r'(?<=[a-z.])<x id="\d+"/>$', "", text)
        return re.sub(r'(<strong id="1">)([^<]*)(<a id="2">[^<]*</a>)', r"\3\1\2", text)

    server.mangle = mangle
    result = translate.translate(cfg, ["de"], engine)
    assert result.languages[0].broken == 2
    entry = next(e for m, e in _by_msgid(path).items() if m.startswith("These harms are not hypothetical."))
    assert "[^1]" not in entry.msgstr and "fuzzy" in entry.flags
    assert marks.markers(entry)[1:] == [
        "pipeline: markup broken by MT, repair it before review:",
        "pipeline: - footnote [^1] missing",
    ]
    assert RECORD.match(marks.markers(entry)[0])
    moved = next(e for m, e in _by_msgid(path).items() if m.startswith("**There is already"))
    assert marks.markers(moved)[2].startswith(
        "pipeline: - link 1 ('significant evidence') moved out of strong emphasis 1"
    )
    errors = [f for f in check.check_catalog(cfg, "de", None) if f.code == "markup"]
    assert len(errors) == 1  # check sees the lost footnote too (a moved link is still a link)
    _msgfmt_and_msgcat_accept(path)
    server.mangle = None
    assert translate.translate(cfg, ["de"], engine).segments == 0  # a person repairs it, not a rerun


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
    assert result.error is None and result.segments == 45 + 2 + 120 + 3
    bodies = server.state.translate_bodies
    assert max(len(b["text"]) for b in bodies) == mt_plan.MAX_TEXTS
    assert max(server.state.body_sizes) <= mt_plan.MAX_REQUEST_BYTES
    assert max(server.state.body_sizes) > 100 * 1024  # the huge ones did share requests
    many_requests = [b for b in bodies if b["context"].startswith("Many")]
    assert [len(b["text"]) for b in many_requests] == [50, 50, 21]  # the heading and 120 paragraphs
    huge_requests = [b for b in bodies if b["context"].startswith("Huge")]
    assert len(huge_requests) == 2
    assert len(bodies) == len(planned.batches)
    assert all(not e.msgstr.startswith("Long") for e in _by_msgid(path).values())


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
    text_only = sum(len("".join(ET.fromstring(f"<r>{t}</r>").itertext())) for t in _sent(server))
    assert server.state.billed == text_only  # context is not billed, nor is markup


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ('formality = "more"', {"DE": "more", "PT-PT": "more", "FI": "prefer_more", "GA": "prefer_more"}),
        ('formality = "less"', {"DE": "less", "PT-PT": "less", "FI": "prefer_less", "GA": "prefer_less"}),
        ('formality = "default"', {"DE": None, "PT-PT": None, "FI": None, "GA": None}),
        (
            'formality = "prefer_more"\nformality-per-language = { de = "less", fi = "more" }',
            {"DE": "less", "PT-PT": "prefer_more", "FI": "prefer_more", "GA": "prefer_more"},
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
    cfg = _set_pyproject(cfg, setting)
    codes = ["de", "pt", "fi", "ga"]
    update.update(cfg, codes)
    result = translate.translate(cfg, codes, engine)
    assert result.error is None  # the server answers 400 to "more" where DeepL has no formality
    sent = {b["target_lang"]: b.get("formality") for b in server.state.translate_bodies}
    assert sent == expected


def test_glossary_created_once_reused_replaced_when_terms_change(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    _write_glossary(cfg, TERMS)
    for code in ("de", "fr", "ga", "hr", "it"):
        catalog_for(code)
    first = translate.translate(cfg, ["de", "ga", "hr"], engine)
    assert first.glossary is not None and first.glossary.created and first.glossary.skipped == ("ga", "hr")
    [glossary] = server.state.glossaries.values()
    assert glossary["name"].startswith("pipeline:reclaim-your-face-open-letter:")
    assert sorted(d["target_lang"] for d in glossary["dictionaries"]) == ["de", "fr"]
    ids = {b["target_lang"]: b.get("glossary_id") for b in server.state.translate_bodies}
    assert ids == {"DE": glossary["glossary_id"], "GA": None, "HR": None}
    # The server applies the glossary, as DeepL would: German gets the term, Irish does not.
    term = "biometric mass surveillance"
    for code, expected in (("de", "biometrische Massenüberwachung"), ("ga", term)):
        using = [e for m, e in _by_msgid(cfg.catalog_path(code)).items() if term in m]
        assert using and all(expected in e.msgstr for e in using), code
    second = translate.translate(cfg, ["fr"], engine)
    assert second.glossary is not None and not second.glossary.created
    assert server.state.glossaries_created == 1
    _write_glossary(cfg, [*TERMS, "facial recognition,yes,,Gesichtserkennung,reconnaissance faciale,x,y"])
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


# -- quota, dry run ------------------------------------------------------------------


def test_dry_run_counts_without_sending(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    for code in ("de", "fr"):
        catalog_for(code)
    server.character_count = 1234
    before = cfg.catalog_path("de").read_bytes()
    result = translate.translate(cfg, ["de", "fr"], engine, dry_run=True)
    assert server.state.requests["/v2/translate"] == 0 and server.state.glossaries_created == 0
    assert result.remaining == 500_000 - 1234
    planned = mt_plan.plan(cfg, ["de", "fr"])
    assert [(r.segments, r.characters) for r in result.languages] == [
        (p.segments, p.characters) for p in planned
    ]
    assert cfg.catalog_path("de").read_bytes() == before
    # What a dry run counts is what a real run is billed.
    real = translate.translate(cfg, ["de", "fr"], engine)
    assert real.characters == result.characters == server.state.billed


def test_a_run_larger_than_the_quota_left_refuses_to_start(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    catalog_for("de")
    server.character_limit = 1000
    with pytest.raises(
        TranslateError, match=r"this run needs \d+ characters, but the DeepL account has 1000 left"
    ):
        translate.translate(cfg, ["de"], engine)
    assert server.state.requests["/v2/translate"] == 0


# -- faults --------------------------------------------------------------------------


def test_quota_used_up_mid_run_keeps_what_was_done_and_a_rerun_carries_on(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    path = catalog_for("de")
    [planned] = mt_plan.plan(cfg, ["de"])
    server.quota_after = planned.characters // 2
    result = translate.translate(cfg, ["de"], engine)
    assert result.error is not None
    assert str(result.error).startswith(
        "the DeepL character quota of this billing period is used up (HTTP 456)"
    )
    [lang] = result.languages
    assert 0 < lang.segments < planned.segments and lang.segments + lang.undone == planned.segments
    assert lang.characters == server.state.billed and lang.undone_characters > 0
    assert f"stopped with {lang.undone} segments left: de {lang.undone} (" in str(result.error)
    done = [e for e in _entries(path).values() if e.msgstr]
    assert len(done) == lang.segments
    _msgfmt_and_msgcat_accept(path)
    server.quota_after = None
    again = translate.translate(cfg, ["de"], engine)
    assert again.error is None and again.segments == lang.undone
    assert server.state.billed == planned.characters  # nothing was billed twice
    assert all(e.msgstr for e in _entries(path).values())


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
    assert translate.translate(cfg, ["de"], engine).segments == 45


def test_retries_absorb_a_few_429s(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    catalog_for("de")
    server.fail("status", times=2, status=429)
    result = translate.translate(cfg, ["de"], engine)
    assert result.error is None and result.segments == 45
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


def test_a_language_deepl_does_not_offer_is_skipped_and_the_others_go_on(
    cfg: config.Config, catalog_for: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    for code in ("de", "ga"):
        catalog_for(code)
    with FakeDeepL(targets=("DE", "FR")) as fake:
        result = translate.translate(cfg, ["de", "ga"], DeepLEngine(KEY, fake.url))
    de, ga = result.languages
    assert de.segments == 45 and ga.skipped == "DeepL does not offer GA" and ga.segments == 0
    assert {b["target_lang"] for b in fake.state.translate_bodies} == {"DE"}


def test_a_translator_saving_meanwhile_stops_that_language_and_keeps_their_edit(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL, engine: DeepLEngine
) -> None:
    de, fr = catalog_for("de"), catalog_for("fr")
    calls = Counter[str]()

    class Meanwhile:
        """The engine, with a translator saving the German file during its second request."""

        name = engine.name

        def __getattr__(self, attr: str) -> Any:
            return getattr(engine, attr)

        def translate(self, texts: Sequence[str], **kwargs: Any) -> list[mt_engine.Translated]:
            calls[kwargs["target"]] += 1
            if kwargs["target"] == "DE" and calls["DE"] == 2:
                set_translations(de, lambda e: ("Brüssel", False) if e.msgid == "Brussels" else None)
            return engine.translate(texts, **kwargs)

    result = translate.translate(cfg, ["de", "fr"], Meanwhile())  # type: ignore[arg-type]
    de_result, fr_result = result.languages
    assert fr_result.error is None and fr_result.segments == 45
    assert de_result.error is not None and de_result.segments == 15 and de_result.undone == 30
    assert str(de_result.error).endswith(
        "the file was saved by someone else while machine translation ran; their version is kept, "
        "de stopped with 30 segments left: run the command again"
    )
    assert _by_msgid(de)["Brussels"].msgstr == "Brüssel"
    again = translate.translate(cfg, ["de"], engine)
    assert again.error is None and again.segments == 30
    entry = _by_msgid(de)["Brussels"]
    assert entry.msgstr == "Brüssel" and marks.state(entry) is State.REVIEWED
    _msgfmt_and_msgcat_accept(de)
    _msgfmt_and_msgcat_accept(fr)


def test_languages_run_in_parallel_with_progress(
    cfg: config.Config, server: FakeDeepL, engine: DeepLEngine
) -> None:
    codes = ["bg", "cs", "da", "de", "et", "el"]
    update.update(cfg, codes)
    server.delay = 0.05
    seen: list[tuple[int, int]] = []
    result = translate.translate(cfg, codes, engine, progress=lambda done, total: seen.append((done, total)))
    assert result.error is None and result.segments == 6 * 45
    assert seen[-1] == (270, 270) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(seen) == result.requests == 36
    assert 1 < server.state.max_concurrent <= translate.WORKERS
    for code in codes:
        _msgfmt_and_msgcat_accept(cfg.catalog_path(code))


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
        _msgfmt_and_msgcat_accept(cfg.catalog_path(code))
    remaining = sum(p.characters for p in mt_plan.plan(cfg, codes))
    assert 0 < remaining < total
    # Billed but not saved: only what was in flight at the kill, at most one request per language.
    lost = server.state.billed - (total - remaining)
    assert 0 <= lost <= 2 * max(b.characters for p in planned for b in p.batches)
    server.delay = 0
    result = translate.translate(cfg, codes, DeepLEngine(KEY, server.url))
    assert result.error is None and result.characters == remaining
    assert all(e.msgstr for c in codes for e in _entries(cfg.catalog_path(c)).values())


# -- pure rules ----------------------------------------------------------------------


def test_needs_mt_rules() -> None:
    def entry(
        msgstr: str = "", fuzzy: bool = False, previous: str | None = None, note: str = ""
    ) -> polib.POEntry:
        e = polib.POEntry(msgid="Hello", msgstr=msgstr, flags=["fuzzy"] if fuzzy else [], tcomment=note)
        e.previous_msgid = previous
        return e

    record = f"pipeline: mt deepl model=m 2026-01-01 sha={marks.digest('Hallo')}"
    assert mt_plan.needs_mt(entry())
    assert mt_plan.needs_mt(entry("Hallo", True, "Hi", record))  # stale, untouched machine text
    assert not mt_plan.needs_mt(entry("Hallo!", True, "Hi", record))  # edited by a person
    assert not mt_plan.needs_mt(entry("Hallo", True, None, record))  # not stale: awaiting review
    assert not mt_plan.needs_mt(entry("Hallo", True, "Hi", marks.DRAFT_NOTE))  # a team draft
    assert not mt_plan.needs_mt(entry("Hallo", False, None, record))  # reviewed


def test_marker_lines_never_wrap() -> None:
    e = polib.POEntry(msgid="a", tcomment="Ask Anna.")
    problems = (f"link 1 ({'x' * 200!r}) lost",)
    translate._fill(
        e, decoded_with(problems), "deepl", "a_model_name_far_longer_than_any_real_one", "2026-01-01"
    )
    lines = e.tcomment.splitlines()
    assert lines[-1] == "Ask Anna." and all(len(ln) <= 77 for ln in lines)
    assert all(ln.startswith("pipeline: ") for ln in lines[:-1])
    assert marks.machine_wrote(e)


def decoded_with(problems: tuple[str, ...]) -> Any:
    from pipeline.mt.xml_codec import Decoded

    return Decoded("Hallo", problems)


# -- the command line ----------------------------------------------------------------


def test_cli_dry_run(run: Callable[..., Result], cfg: config.Config, server: FakeDeepL) -> None:
    update.update(cfg, ["de", "fr"])
    n = mt_plan.plan(cfg, ["de"])[0].characters
    result = run("translate", "--lang", "de", "--lang", "fr", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"de: 45 segments, {n} characters\n"
        f"fr: 45 segments, {n} characters\n"
        f"total: 90 segments, {2 * n} characters (dry run: nothing sent)\n"
        "DeepL account: 500000 characters left this billing period\n"
    )
    assert server.state.requests["/v2/translate"] == 0


def test_cli_translate_then_nothing_left(
    run: Callable[..., Result], cfg: config.Config, server: FakeDeepL
) -> None:
    update.update(cfg, ["de"])
    n = mt_plan.plan(cfg, ["de"])[0].characters
    result = run("translate", "--lang", "de")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"locale/de/LC_MESSAGES/letter.po: 45 segments translated, {n} characters billed\n"
        f"total: {n} characters billed\n"
    )
    assert "translating" in result.stderr  # the progress bar, on stderr
    again = run("translate", "--lang", "de")
    assert (
        again.stdout == "locale/de/LC_MESSAGES/letter.po: nothing to translate\ntotal: 0 characters billed\n"
    )
    dry = run("translate", "--lang", "de", "--dry-run")
    assert dry.stdout == (
        "de: 0 segments, 0 characters\n"
        "total: 0 segments, 0 characters (dry run: nothing sent)\n"
        f"DeepL account: {500_000 - n} characters left this billing period\n"
    )


def test_cli_glossary_skips_are_said_once(
    run: Callable[..., Result], cfg: config.Config, server: FakeDeepL
) -> None:
    _write_glossary(cfg, TERMS)
    update.update(cfg, ["de", "ga", "hr", "mt"])
    result = run("translate", "--lang", "de", "--lang", "ga", "--lang", "hr", "--lang", "mt")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("glossary: DeepL has none for ga, hr, mt; translated without it\n") == 1
    assert re.search(
        r"^glossary pipeline:reclaim-your-face-open-letter:[0-9a-f]{16}: created$", result.stderr, re.M
    )


def test_cli_quota_refusal(run: Callable[..., Result], cfg: config.Config, server: FakeDeepL) -> None:
    update.update(cfg, ["de"])
    n = mt_plan.plan(cfg, ["de"])[0].characters
    server.character_count = server.character_limit - 100
    result = run("translate", "--lang", "de")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        f"Error: this run needs {n} characters, but the DeepL account has 100 left this billing period; "
        "nothing was sent (translate fewer languages with --lang)\n"
    )


def test_cli_quota_used_up_mid_run(run: Callable[..., Result], cfg: config.Config, server: FakeDeepL) -> None:
    update.update(cfg, ["de"])
    server.quota_after = 3000
    result = run("translate", "--lang", "de")
    assert result.exit_code == 1
    assert re.fullmatch(
        r"locale/de/LC_MESSAGES/letter\.po: (\d+) segments translated, (\d+) characters billed; "
        r"(\d+) left \((\d+) characters\)\ntotal: \2 characters billed\n",
        result.stdout,
    ), result.stdout
    assert re.search(
        r"^Error: the DeepL character quota of this billing period is used up \(HTTP 456\); "
        r"stopped with (\d+) segments left: de \1 \(\d+ characters\); "
        r"what was translated is saved: run the command again to carry on\n\Z",
        result.stderr,
        re.M,
    ), result.stderr


def test_cli_key_errors(
    run: Callable[..., Result], cfg: config.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    update.update(cfg, ["de"])
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    result = run("translate", "--lang", "de")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: DEEPL_AUTH_KEY is not set: export DEEPL_AUTH_KEY=<your DeepL API key> (Free keys end in :fx; "
        "the key is on your DeepL account page under API Keys)\n"
    )
    with FakeDeepL() as fake:
        monkeypatch.setenv("DEEPL_AUTH_KEY", "not-the-key")
        monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
        result = run("translate", "--lang", "de")
    assert result.exit_code == 1 and "not-the-key" not in result.output
    assert result.stderr == (
        "Error: DeepL rejected the key in DEEPL_AUTH_KEY (HTTP 403): check that it is the API key of an "
        "active DeepL API account\n"
    )


def test_cli_skipped_language_exits_1(
    run: Callable[..., Result], cfg: config.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    update.update(cfg, ["de", "ga"])
    with FakeDeepL(targets=("DE",)) as fake:
        monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
        monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
        result = run("translate", "--lang", "de", "--lang", "ga")
    assert result.exit_code == 1
    assert "warning: ga: DeepL does not offer GA; skipped\n" in result.stderr
    assert result.stderr.endswith("Error: not translated: ga (DeepL does not offer them)\n")
    assert result.stdout.startswith("locale/de/LC_MESSAGES/letter.po: 45 segments translated")


def test_cli_needs_languages(run: Callable[..., Result], cfg: config.Config) -> None:
    result = run("translate")
    assert result.exit_code == 2
    assert "Error: say which languages: --lang de [--lang fr ...] or --all" in result.stderr


def test_plan_needs_catalogs(cfg: config.Config) -> None:
    with pytest.raises(NoCatalogError, match=r"no catalog for de: run `pipeline update --lang de` first"):
        mt_plan.plan(cfg, ["de"])
