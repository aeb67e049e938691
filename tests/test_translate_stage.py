"""The translate stage with an in-process engine: what is sent, what is written, what is never replaced."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from pipeline import config
from pipeline.catalogs import marks, update
from pipeline.catalogs.marks import State
from pipeline.checks import catalog as check
from pipeline.errors import NoCatalogError, TranslateError
from pipeline.mt import plan as mt_plan
from pipeline.mt import run as translate
from pipeline.mt import writeback
from pipeline.mt.xml_codec import Decoded
from pipeline.source import markup

from .fake_engine import Call, FakeEngine
from .helpers import assert_gettext_accepts, by_key, by_msgid, edit_source, set_translations

# The record, its words packed into lines no writer wraps: engine, model, date and the three hashes.
RECORD = re.compile(
    r"^pipeline: mt deepl model=quality_optimized \d{4}-\d\d-\d\d sha=([0-9a-f]{16})\n"
    r"pipeline: mt msgid=([0-9a-f]{16}) raw=([0-9a-f]{16})$"
)
EDITED_FROM = "These harms are not hypothetical."
EDITED_TO = "These harms are not at all hypothetical."


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine()


def test_untranslated_entries_become_fuzzy_machine_translations_with_a_record(
    cfg: config.Config, catalog_for: Callable[[str], Path], engine: FakeEngine
) -> None:
    path = catalog_for("de")
    [planned] = mt_plan.plan(cfg, ["de"])
    result = translate.translate(cfg, ["de"], engine)
    assert result.error is None and result.segments == planned.segments == 48
    assert result.characters == planned.characters == engine.billed
    for entry in by_key(path).values():
        assert marks.state(entry) is State.UNREVIEWED, entry.msgid
        record = "\n".join(marks.markers(entry))
        match = RECORD.match(record)
        plain = entry.msgctxt == "interface"
        assert match and match.group(1) == marks.vouched(entry.msgstr, plain), record
        assert match.group(2) == marks.vouched(entry.msgid, plain)
        assert match.group(3) == marks.digest(entry.msgstr)  # the text exactly, link targets and all
        assert entry.previous_msgid is None
        if entry.msgctxt == "interface":  # text, not Markdown: nothing escaped
            assert entry.msgstr.startswith("[DE] ") or entry.msgid == "{place}, {date}"
        else:
            assert "\\[DE\\] " in entry.msgstr  # "[DE]" escaped as Markdown
    assert_gettext_accepts(path)


def test_a_second_run_sends_nothing_and_writes_nothing(
    cfg: config.Config, catalog_for: Callable[[str], Path], engine: FakeEngine
) -> None:
    path = catalog_for("de")
    translate.translate(cfg, ["de"], engine)
    before, calls, asked = path.read_bytes(), len(engine.calls), engine.usage_asked
    result = translate.translate(cfg, ["de"], engine)
    assert result.segments == result.characters == 0
    assert path.read_bytes() == before
    assert len(engine.calls) == calls and engine.usage_asked == asked  # not even the usage is asked


def test_markup_survives_and_urls_are_never_sent(
    cfg: config.Config, catalog_for: Callable[[str], Path], engine: FakeEngine
) -> None:
    path = catalog_for("fr")
    translate.translate(cfg, ["fr"], engine)
    sent = " ".join(engine.sent())
    assert "http" not in sent and "](" not in sent and "[^" not in sent
    findings = [
        f for f in check.check_catalog(cfg, "fr", None) if f.code in ("markup", "unsafe", "link-target")
    ]
    assert findings == []
    for entry in by_key(path).values():
        src = Counter(markup.elements(markup.parse_inline(entry.msgid)))
        assert Counter(markup.elements(markup.parse_inline(entry.msgstr))) == src, entry.msgid
    dateline = by_key(path)[("interface", "{place}, {date}")]
    assert dateline.msgstr == "{place}, {date}"  # fields are placeholders; nothing to translate around them


def test_what_a_person_wrote_is_never_replaced_only_untouched_machine_text_is_redone(
    cfg: config.Config, catalog_for: Callable[[str], Path], engine: FakeEngine
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
    edit_source(cfg, "Dear honourable Members", "Dear honourable members")
    edit_source(cfg, "place: Brussels", "place: Brussels (Belgium)")
    edit_source(cfg, "The AI Act is the obvious way", "The AI Act is the clear way")
    edit_source(cfg, EDITED_FROM, EDITED_TO)
    update.update(cfg, ["de"])
    stale = [e for e in by_key(path).values() if marks.state(e) is State.STALE]
    assert len(stale) == 4
    sent_before = len(engine.sent())
    result = translate.translate(cfg, ["de"], engine)
    assert result.segments == 1
    [text] = engine.sent()[sent_before:]
    assert text.startswith("These harms are not at all hypothetical.")
    entries = by_msgid(path)
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
    cfg: config.Config, catalog_for: Callable[[str], Path], engine: FakeEngine
) -> None:
    # A body heading that is also an interface string: two entries, one msgid.
    edit_source(cfg, "Signed,", "## Organisational signatories\n\nSigned,")
    for code in ("de", "fi"):
        catalog_for(code)
    translate.translate(cfg, ["de", "fi"], engine)
    for target in ("DE", "FI"):
        assert engine.sent(target).count("Organisational signatories") == 1
    entries = by_key(cfg.catalog_path("de"))
    assert entries[("interface", "Organisational signatories")].msgstr == "[DE] Organisational signatories"
    assert entries[(None, "Organisational signatories")].msgstr == "\\[DE\\] Organisational signatories"


def test_broken_markup_is_saved_fuzzy_with_a_note_never_accepted(
    cfg: config.Config, catalog_for: Callable[[str], Path], engine: FakeEngine
) -> None:
    path = catalog_for("de")

    # The machine drops a footnote reference at the end, and moves a link out of its strong emphasis.
    def mangle(text: str, target: str) -> str:
        text = re.sub(r'(?<=[a-z.])<x id="\d+"/>$', "", text)
        return re.sub(r'(<strong id="1">)([^<]*)(<a id="2">[^<]*</a>)', r"\3\1\2", text)

    engine.mangle = mangle
    result = translate.translate(cfg, ["de"], engine)
    assert result.languages[0].broken == 2
    entry = next(e for m, e in by_msgid(path).items() if m.startswith("These harms are not hypothetical."))
    assert "[^1]" not in entry.msgstr and "fuzzy" in entry.flags
    assert marks.markers(entry)[2:] == [
        "pipeline: markup broken by MT, repair it before review:",
        "pipeline: - footnote [^1] missing",
    ]
    assert RECORD.match("\n".join(marks.markers(entry)[:2]))
    moved = next(e for m, e in by_msgid(path).items() if m.startswith("**There is already"))
    assert marks.markers(moved)[3].startswith(
        "pipeline: - link 1 ('significant evidence') moved out of strong emphasis 1"
    )
    errors = [f for f in check.check_catalog(cfg, "de", None) if f.code == "markup"]
    assert len(errors) == 1  # check sees the lost footnote too (a moved link is still a link)
    assert_gettext_accepts(path)
    engine.mangle = None
    assert translate.translate(cfg, ["de"], engine).segments == 0  # a person repairs it, not a rerun


def test_dry_run_counts_without_sending(
    cfg: config.Config, catalog_for: Callable[[str], Path], engine: FakeEngine
) -> None:
    for code in ("de", "fr"):
        catalog_for(code)
    engine.character_count = 1234
    before = cfg.catalog_path("de").read_bytes()
    result = translate.translate(cfg, ["de", "fr"], engine, dry_run=True)
    assert engine.calls == [] and engine.glossaries == {}
    assert result.remaining == 500_000 - 1234
    planned = mt_plan.plan(cfg, ["de", "fr"])
    assert [(r.segments, r.characters) for r in result.languages] == [
        (p.segments, p.characters) for p in planned
    ]
    assert cfg.catalog_path("de").read_bytes() == before
    # What a dry run counts is what a real run is billed.
    real = translate.translate(cfg, ["de", "fr"], engine)
    assert real.characters == result.characters == engine.billed - 1234


def test_a_run_larger_than_the_quota_left_refuses_to_start(
    cfg: config.Config, catalog_for: Callable[[str], Path], engine: FakeEngine
) -> None:
    catalog_for("de")
    engine.character_limit = 1000
    with pytest.raises(
        TranslateError, match=r"this run needs \d+ characters, but the DeepL account has 1000 left"
    ):
        translate.translate(cfg, ["de"], engine)
    assert engine.calls == []


def test_quota_used_up_mid_run_keeps_what_was_done_and_a_rerun_carries_on(
    cfg: config.Config, catalog_for: Callable[[str], Path], engine: FakeEngine
) -> None:
    path = catalog_for("de")
    [planned] = mt_plan.plan(cfg, ["de"])
    engine.quota_after = planned.characters // 2
    result = translate.translate(cfg, ["de"], engine)
    assert result.error is not None
    assert str(result.error).startswith("the DeepL character quota of this billing period is used up")
    [lang] = result.languages
    assert 0 < lang.segments < planned.segments and lang.segments + lang.undone == planned.segments
    assert lang.characters == engine.billed and lang.undone_characters > 0
    assert f"stopped with {lang.undone} segments left: de {lang.undone} (" in str(result.error)
    done = [e for e in by_key(path).values() if e.msgstr]
    assert len(done) == lang.segments
    assert_gettext_accepts(path)
    engine.quota_after = None
    again = translate.translate(cfg, ["de"], engine)
    assert again.error is None and again.segments == lang.undone
    assert engine.billed == planned.characters  # nothing was billed twice
    assert all(e.msgstr for e in by_key(path).values())


def test_a_language_the_engine_does_not_offer_is_skipped_and_the_others_go_on(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    for code in ("de", "ga"):
        catalog_for(code)
    engine = FakeEngine(targets_offered=("DE", "FR"))
    result = translate.translate(cfg, ["de", "ga"], engine)
    de, ga = result.languages
    assert de.segments == 48 and ga.skipped == "DeepL does not offer GA" and ga.segments == 0
    assert {c.target for c in engine.calls} == {"DE"}


def test_a_translator_saving_meanwhile_stops_that_language_and_keeps_their_edit(
    cfg: config.Config, catalog_for: Callable[[str], Path], engine: FakeEngine
) -> None:
    de, fr = catalog_for("de"), catalog_for("fr")
    calls = Counter[str]()

    def meanwhile(call: Call) -> None:
        """A translator saves the German file during its second request."""
        calls[call.target] += 1
        if call.target == "DE" and calls["DE"] == 2:
            set_translations(de, lambda e: ("Brüssel", False) if e.msgid == "Brussels" else None)

    engine.before_call = meanwhile
    result = translate.translate(cfg, ["de", "fr"], engine)
    de_result, fr_result = result.languages
    assert fr_result.error is None and fr_result.segments == 48
    assert de_result.error is not None and de_result.segments == 15 and de_result.undone == 33
    assert str(de_result.error).endswith(
        "the file was saved by someone else while machine translation ran; their version is kept, "
        "de stopped with 33 segments left: run the command again"
    )
    assert by_msgid(de)["Brussels"].msgstr == "Brüssel"
    engine.before_call = None
    again = translate.translate(cfg, ["de"], engine)
    assert again.error is None and again.segments == 33
    entry = by_msgid(de)["Brussels"]
    assert entry.msgstr == "Brüssel" and marks.state(entry) is State.REVIEWED
    assert_gettext_accepts(de)
    assert_gettext_accepts(fr)


# -- pure rules ----------------------------------------------------------------------


def test_needs_mt_rules() -> None:
    def entry(
        msgstr: str = "", fuzzy: bool = False, previous: str | None = None, note: str = ""
    ) -> polib.POEntry:
        e = polib.POEntry(msgid="Hello", msgstr=msgstr, flags=["fuzzy"] if fuzzy else [], tcomment=note)
        e.previous_msgid = previous
        return e

    record = f"pipeline: mt deepl model=m 2026-01-01 sha={marks.digest('Hallo')} raw={marks.digest('Hallo')}"
    assert mt_plan.needs_mt(entry())
    older = f"pipeline: mt deepl model=m 2026-01-01 sha={marks.digest('Hallo')}"
    assert not mt_plan.needs_mt(entry("Hallo", True, "Hi", older))  # no exact hash: keep, never lose
    assert mt_plan.needs_mt(entry("Hallo", True, "Hi", record))  # stale, untouched machine text
    assert not mt_plan.needs_mt(entry("Hallo!", True, "Hi", record))  # edited by a person
    assert not mt_plan.needs_mt(entry("Hallo", True, None, record))  # not stale: awaiting review
    assert not mt_plan.needs_mt(entry("Hallo", True, "Hi", marks.DRAFT_NOTE))  # a team draft
    assert not mt_plan.needs_mt(entry("Hallo", False, None, record))  # reviewed


def test_marker_lines_never_wrap() -> None:
    e = polib.POEntry(msgid="a", tcomment="Ask Anna.")
    problems = (f"link 1 ({'x' * 200!r}) lost",)
    writeback.fill(
        e, Decoded("Hallo", problems), "deepl", "a_model_name_far_longer_than_any_real_one", "2026-01-01"
    )
    lines = e.tcomment.splitlines()
    assert lines[-1] == "Ask Anna." and all(len(ln) <= 77 for ln in lines)
    assert all(ln.startswith("pipeline: ") for ln in lines[:-1])
    assert marks.machine_wrote(e)


def test_plan_needs_catalogs(cfg: config.Config) -> None:
    with pytest.raises(NoCatalogError, match=r"no catalog for de: run `pipeline update --lang de` first"):
        mt_plan.plan(cfg, ["de"])
