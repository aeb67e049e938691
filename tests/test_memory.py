"""The translation memory: recall across documents, imported TMX and PO files, TMX export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from click.testing import Result

from pipeline import config
from pipeline.catalogs import extract, marks, po, update
from pipeline.catalogs.marks import State
from pipeline.errors import MemoryFileError
from pipeline.memory import exchange, recall, tmx
from pipeline.mt import plan as mt_plan
from pipeline.mt import run as mt_run
from pipeline.mt.deepl import DeepLEngine

from .deepl_server import KEY, FakeDeepL
from .helpers import assert_gettext_accepts, by_msgid, set_translations

DEAR = "Dear honourable Members of the European Parliament,"
EDITED = "will become sites of mass surveillance"


def _ready(two: list[config.Config]) -> tuple[config.Config, config.Config]:
    letter, followup = two
    for doc in two:
        extract.extract(doc)
        update.update(doc, ["de", "el"])
    return letter, followup


def test_exact_and_near_matches_come_from_the_letters_drafts_marked_as_such(two: list[config.Config]) -> None:
    letter, followup = _ready(two)
    [de, el] = recall.recall(followup, ["de", "el"])
    assert (de.exact, de.near) == (el.exact, el.near)
    assert de.exact >= 5 and de.near == 2 and de.written  # the edited paragraph, and the title
    assert de.by_origin == {"letter": de.exact + de.near}
    drafts = by_msgid(letter.catalog_path("de"))
    entries = by_msgid(followup.catalog_path("de"))
    dear = entries[DEAR]
    assert dear.msgstr == drafts[DEAR].msgstr and "fuzzy" in dear.flags and dear.previous_msgid is None
    assert marks.markers(dear)[0].startswith("pipeline: memory unreviewed in letter sha=")
    assert marks.state(dear) is State.UNREVIEWED  # a draft stays a draft: never counted as reviewed
    near = next(e for m, e in entries.items() if EDITED in m)
    assert "fuzzy" in near.flags and near.previous_msgid in drafts and EDITED not in near.previous_msgid
    assert near.msgstr == drafts[near.previous_msgid].msgstr
    assert marks.state(near) is State.STALE  # it translates another text: printed in English until reviewed
    new = next(e for m, e in entries.items() if m.startswith("A month ago"))
    assert new.msgstr == ""  # nothing like it anywhere: left for translation
    assert_gettext_accepts(followup.catalog_path("de"))


def test_a_reviewed_unit_is_preferred_and_named_as_reviewed(two: list[config.Config]) -> None:
    letter, followup = _ready(two)
    reviewed = "Sehr geehrte Abgeordnete des Europäischen Parlaments,"
    set_translations(letter.catalog_path("de"), lambda e: (reviewed, False) if e.msgid == DEAR else None)
    recall.recall(followup, ["de"])
    dear = by_msgid(followup.catalog_path("de"))[DEAR]
    assert dear.msgstr == reviewed and "fuzzy" in dear.flags
    assert marks.markers(dear)[0].startswith("pipeline: memory reviewed in letter sha=")


def test_recall_fills_only_untranslated_entries_and_a_second_run_does_nothing(
    two: list[config.Config],
) -> None:
    _, followup = _ready(two)
    path = followup.catalog_path("de")
    set_translations(path, lambda e: ("Von Hand.", False) if e.msgid == DEAR else None)
    [first] = recall.recall(followup, ["de"])
    assert by_msgid(path)[DEAR].msgstr == "Von Hand."
    before = path.read_bytes()
    [second] = recall.recall(followup, ["de"])
    assert (second.exact, second.near, second.written) == (0, 0, False) and path.read_bytes() == before
    assert second.left == first.left


def test_translate_recalls_first_and_sends_only_the_rest(
    two: list[config.Config], server: FakeDeepL, run: Callable[..., Result]
) -> None:
    _, followup = _ready(two)
    everything = mt_plan.plan(followup, ["de"])[0].segments
    dry = run("translate", "--doc", "followup", "--lang", "de", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "memory would fill" in dry.stdout and server.state.billed == 0
    engine = DeepLEngine(KEY, server.url)
    result = mt_run.translate(followup, ["de"], engine)
    [recalled] = result.recalled
    assert result.segments == everything - recalled.exact - recalled.near > 0
    assert f"de: {result.segments} segments" in dry.stdout
    billed = server.state.billed
    assert mt_run.translate(followup, ["de"], engine).characters == 0 and server.state.billed == billed


def test_export_writes_tmx_that_reads_back_here_and_in_translate_toolkit(
    two: list[config.Config], tmp_path: Path
) -> None:
    letter, _ = _ready(two)
    [de] = exchange.export(letter, ["de"], tmp_path / "tmx")
    data = de.path.read_bytes()
    pairs = tmx.parse(data).pairs
    drafts = {e.msgid: e.msgstr for e in po.read(letter.catalog_path("de"), "de").entries()}
    assert de.units == len(pairs) == len(drafts) and {p.source: p.target for p in pairs} == drafts
    assert b'<prop type="x-pipeline-state">unreviewed</prop>' in data
    from translate.storage.tmx import tmxfile

    store = tmxfile(data, "en", "de")
    assert {u.source: u.target for u in store.units} == drafts


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<tmx version="1.4"><header srclang="en"/><body>
<tu><tuv xml:lang="en"><seg>&b;</seg></tuv></tu></body></tmx>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><header srclang="en"/><body>
<tu><tuv xml:lang="en"><seg>&x;</seg></tuv></tu></body></tmx>"""


@pytest.mark.parametrize("data", [BOMB, XXE], ids=["entity expansion", "external entity"])
def test_an_imported_tmx_with_entities_is_refused(
    two: list[config.Config], tmp_path: Path, data: bytes
) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_bytes(data)
    with pytest.raises(MemoryFileError, match="refused"):
        exchange.import_file(two[0], bad)
    assert not (two[0].root / "locale" / "memory").exists()


def _tmx(*units: tuple[str, str]) -> bytes:
    body = "".join(
        f'<tu><tuv xml:lang="en"><seg>{s}</seg></tuv><tuv xml:lang="de-DE"><seg>{t}</seg></tuv></tu>'
        for s, t in units
    )
    return (
        f'<?xml version="1.0"?><tmx version="1.4"><header srclang="en-GB"/><body>{body}</body></tmx>'.encode()
    )


def test_imported_units_are_checked_and_an_unsafe_one_is_never_recalled(
    two: list[config.Config], tmp_path: Path, run: Callable[..., Result]
) -> None:
    _, followup = _ready(two)
    source = tmp_path / "ep.tmx"
    safe = (
        "Please vote for the amendments that prohibit remote biometric identification "
        "in publicly accessible spaces, without exceptions."
    )
    source.write_bytes(_tmx((safe, "Bitte stimmen Sie für die Änderungen."), (DEAR, "Hallo\u202e Welt")))
    result = run("memory", "import", str(source))
    assert result.exit_code == 0, result.output
    assert result.stdout == "locale/memory/ep.tmx: de 1\n"
    assert "refused 'Dear honourable Members" in result.stderr
    recall.recall(followup, ["de"])
    entries = by_msgid(followup.catalog_path("de"))
    assert entries[safe].msgstr == "Bitte stimmen Sie für die Änderungen."
    assert marks.markers(entries[safe])[0].startswith(
        "pipeline: memory imported from locale/memory/ep.tmx sha="
    )
    assert "\u202e" not in entries[DEAR].msgstr  # the letter's draft, not the unsafe import


def test_a_po_compendium_counts_only_what_was_approved_where_it_comes_from(
    two: list[config.Config], tmp_path: Path
) -> None:
    compendium = polib.POFile()
    compendium.metadata = {"Language": "de", "Content-Type": "text/plain; charset=UTF-8"}
    compendium.append(
        polib.POEntry(msgid="We write again because the vote is close.", msgstr="Wir schreiben erneut.")
    )
    compendium.append(polib.POEntry(msgid="Another text.", msgstr="Ein anderer Text.", flags=["fuzzy"]))
    path = tmp_path / "compendium.po"
    compendium.save(str(path))
    found = exchange.import_file(two[0], path)
    assert found.languages == {"de": 1} and found.skipped == {"fuzzy (not approved where it comes from)": 1}
    assert (two[0].root / "locale" / "memory" / "compendium.po").read_bytes() == path.read_bytes()


def _import(followup: config.Config, *units: tuple[str, str]) -> None:
    folder = followup.root / "locale" / "memory"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile.tmx").write_bytes(_tmx(*units))


def test_a_unit_is_judged_as_the_entry_it_would_fill(two: list[config.Config]) -> None:
    """An interface string gets no Markdown's allowances, a near match no image its entry's source
    lacks, a string with {fields} no other fields: such units are never recalled."""
    _, followup = _ready(two)
    new = "Please vote for the amendments that prohibit remote biometric identification"
    _import(
        followup,
        ("Other languages", "Weitere     Sprachen"),  # a run of spaces: refused in an interface string
        ("Revision {revision}", "Fassung {nope}"),  # other fields
        (new + " in publicly accessible spaces, always.", "Bitte ![](http://e.x/a.png) stimmen Sie."),
    )
    [result] = recall.recall(followup, ["de"])
    entries = {(e.msgctxt, e.msgid): e for e in po.read(followup.catalog_path("de"), "de").entries()}
    assert entries[("interface", "Other languages")].msgstr == "Weitere Sprachen"  # the letter's draft
    assert entries[("interface", "Revision {revision}")].msgstr != "Fassung {nope}"
    assert all("![" not in e.msgstr for e in entries.values())
    assert_gettext_accepts(followup.catalog_path("de"))
    assert result.exact + result.near > 0


def test_a_memory_full_of_refused_texts_costs_a_bounded_time(
    two: list[config.Config], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, followup = _ready(two)
    text = next(
        e.msgid for e in po.read(followup.catalog_path("de"), "de").entries() if "A month ago" in e.msgid
    )
    _import(followup, *[(text, f"\u202eVor einem Monat {i}") for i in range(40)], (text, "Vor einem Monat"))
    tried: list[str] = []
    real = recall.safety.problems

    def counted(msgid: str, msgstr: str, **kwargs: bool) -> list[str]:
        tried.append(msgid)
        return real(msgid, msgstr, **kwargs)

    monkeypatch.setattr(recall.safety, "problems", counted)
    [result] = recall.recall(followup, ["de"], dry_run=True)
    assert tried.count(text) == recall.MAX_TRIED  # then it gives up: not 41 parses
    assert (None, text) not in result.keys  # the one good unit lay beyond: left for translation


def test_import_refuses_hidden_names_and_files_that_are_mostly_refused(
    two: list[config.Config], tmp_path: Path
) -> None:
    hidden = tmp_path / ".memory.tmx"
    hidden.write_bytes(_tmx(("A text.", "Ein Text.")))
    with pytest.raises(MemoryFileError, match="may not start with a dot"):
        exchange.import_file(two[0], hidden)
    bad = tmp_path / "bad.tmx"
    bad.write_bytes(_tmx(*[(f"Text {i}.", f"\u202eText {i}.") for i in range(exchange.MAX_REFUSED + 1)]))
    with pytest.raises(MemoryFileError, match="units break the rules"):
        exchange.import_file(two[0], bad)
    assert not (two[0].root / "locale" / "memory" / "bad.tmx").exists()
