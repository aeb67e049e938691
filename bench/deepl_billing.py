"""Measure what machine translation costs: characters billed and requests made, per revision of the letter.

Runs the real pipeline (extract, update, translate with the real DeepL client)
in a temporary copy of the project against the local test server, which bills
like DeepL (code points of the text, markup and context excluded):

1. the whole letter into the 23 languages, from empty catalogs;
2. the same after adding one paragraph;
3. the same after editing one paragraph.

It sets this against DeepL's document translation, which bills at least
50,000 characters per document and language, and translates all of it again
on every revision.

Then a second document beside the letter, a follow-up that repeats 20 of the
letter's blocks, edits 5 of them slightly and adds 7 new ones, is translated
into the same 23 languages twice from the same state: with the translation
memory (recall first, as `pipeline translate` does) and without it.

Usage, from the project root (writes bench/results/deepl-billing.md):

    .venv/bin/python bench/deepl_billing.py
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import config, extract, translate, update  # noqa: E402
from pipeline.mt.deepl import DeepLEngine  # noqa: E402
from tests.deepl_server import KEY, FakeDeepL  # noqa: E402

DOCUMENT_MINIMUM = 50_000  # characters DeepL bills at least per translated document
RESULT = ROOT / "bench" / "results" / "deepl-billing.md"
NEW_PARAGRAPH = (
    "In 2024, the AI Act was adopted with exceptions that still allow remote biometric identification; "
    "we ask you to close them in the next review of the law."
)
EDITED_FROM = "The AI Act is the obvious way"
EDITED_TO = "The AI Act is the clearest way"


@dataclass(frozen=True)
class Row:
    revision: str
    segments: int
    requests: int
    billed: int
    letter: int  # billable characters of the whole letter, one language

    @property
    def document(self) -> int:
        """What uploading the letter as a document would bill, for every language."""
        return max(DOCUMENT_MINIMUM, self.letter) * LANGUAGES

    @property
    def document_without_minimum(self) -> int:
        """The same, were documents billed by their characters only: the cost of re-translating it all."""
        return self.letter * LANGUAGES


LANGUAGES = 23


def _copy_project(into: Path) -> config.Config:
    shutil.copytree(ROOT / "source", into / "source")
    shutil.copy(ROOT / "pyproject.toml", into / "pyproject.toml")
    (into / "locale").mkdir()
    for name in ("glossary.csv", "glossary-forms.csv"):
        if (ROOT / "locale" / name).exists():
            shutil.copy(ROOT / "locale" / name, into / "locale" / name)
    return config.load(into)


def _letter_characters(cfg: config.Config) -> int:
    """The billable characters of the whole letter in one language: every segment, as MT sees it."""
    from pipeline.mt import xml_codec
    from pipeline.source import document
    from pipeline.source.segments import segments

    found = segments(document.read(cfg), cfg.root)
    return sum(xml_codec.encode(s.msgid, brace_format=s.brace_format).characters for s in found)


def _revision(name: str, cfg: config.Config, server: FakeDeepL, engine: DeepLEngine) -> Row:
    extract(cfg)
    update(cfg, cfg.languages)
    requests = server.state.requests["/v2/translate"]
    result = translate(cfg, cfg.languages, engine)
    if result.error is not None:
        raise SystemExit(f"translate failed: {result.error}")
    return Row(
        name,
        result.segments,
        server.state.requests["/v2/translate"] - requests,
        result.characters,
        _letter_characters(cfg),
    )


def _edit(cfg: config.Config, old: str, new: str) -> None:
    text = cfg.source_path.read_text(encoding="utf-8")
    assert old in text, old
    cfg.source_path.write_text(text.replace(old, new, 1), encoding="utf-8")


def measure() -> tuple[list[Row], Second]:
    # Tokens come back intact here (no damage model): this measures billing, bench/mt_markup.py damage.
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeDeepL(character_limit=10_000_000, damage_seed=None) as server,
    ):
        cfg = _copy_project(Path(tmp))
        assert len(cfg.languages) == LANGUAGES
        engine = DeepLEngine(KEY, server.url)
        rows = [_revision("1. whole letter, empty catalogs", cfg, server, engine)]
        _edit(cfg, "\nSigned,", f"\n{NEW_PARAGRAPH}\n\nSigned,")
        rows.append(_revision("2. one paragraph added", cfg, server, engine))
        _edit(cfg, EDITED_FROM, EDITED_TO)
        rows.append(_revision("3. one paragraph edited", cfg, server, engine))
        again = translate(cfg, cfg.languages, engine)
        assert again.segments == 0, "a run straight after another must send nothing"
        with tempfile.TemporaryDirectory() as second:
            return rows, _second(Path(second), cfg, server, engine)


NEW_BLOCKS = [
    "We wrote to you a month ago, as 53 organisations, about biometric mass surveillance.",
    "Since then, the committees have voted on their compromise amendments.",
    "Some of those amendments would open new exceptions for the police.",
    "An exception for a single search is still a system that watches everyone.",
    "We ask you to vote against every amendment that weakens the ban.",
    "Our members in every Member State are ready to meet you before the plenary vote.",
    "Thank you for your attention; we look forward to your reply.",
]


@dataclass(frozen=True)
class Second:
    """The follow-up document in 23 languages: what was filled and sent, with and without the memory."""

    exact: int  # entries filled from the memory with the same text (all languages)
    near: int  # entries filled with a near match (fuzzy, with the matched source as #|)
    sent_with: int  # segments sent to DeepL with the memory
    billed_with: int
    sent_without: int
    billed_without: int
    characters: int  # billable characters of the whole follow-up, one language

    @property
    def document(self) -> int:
        return max(DOCUMENT_MINIMUM, self.characters) * LANGUAGES


def _follow_up(letter: str) -> tuple[str, int, int]:
    """A follow-up made from the letter: 20 of its blocks as they are (footnotes and the blocks that
    cite them among them), 5 edited by a word, 7 new; with the counts of copied and edited blocks."""
    _, front, body = letter.split("---\n", 2)
    blocks = [b for b in body.strip().split("\n\n") if b.strip()]
    notes = [b for b in blocks if b.startswith("[^")]
    citing = [b for b in blocks if "[^" in b and b not in notes]
    plain = [b for b in blocks if "[^" not in b and " the " in b and not b.startswith(("#", "Signed"))]
    edited = [b.replace(" the ", " this ", 1) for b in plain[:5]]
    rest = [b for b in blocks if b not in notes and b not in citing and b not in plain[:5]]
    copied = citing + rest[: 20 - len(citing) - len(notes)]
    title = 'title: "A follow-up to our open letter on biometric mass surveillance"'
    head = re.sub(r"^title: .*$", title, front, flags=re.M)
    head = head.replace("reclaim-your-face-open-letter", "follow-up")
    text = "---\n" + head + "---\n\n" + "\n\n".join(copied + edited + NEW_BLOCKS + notes) + "\n"
    return text, len(copied) + len(notes), len(edited)


def _second(tmp: Path, cfg: config.Config, server: FakeDeepL, engine: DeepLEngine) -> Second:
    """Translate the follow-up from the same state twice: with the memory, and without it."""
    text, copied, edited = _follow_up(cfg.source_path.read_text(encoding="utf-8"))
    assert (copied, edited) == (20, 5), (copied, edited)
    results = []
    for memory in (True, False):
        root = tmp / ("with" if memory else "without")
        shutil.copytree(cfg.root, root)
        (root / "source" / "follow-up.md").write_text(text, encoding="utf-8")
        project = (root / "pyproject.toml").read_text(encoding="utf-8")
        single = re.sub(r"^(source|domain|signatories) = .*\n", "", project, flags=re.M)
        (root / "pyproject.toml").write_text(single + DOCUMENTS, encoding="utf-8")
        follow = config.load(root, "follow-up")
        extract(follow)
        update(follow, follow.languages)
        result = translate(follow, follow.languages, engine, memory=memory)
        if result.error is not None:
            raise SystemExit(f"translate failed: {result.error}")
        results.append(result)
    with_memory, without = results
    return Second(
        sum(r.exact for r in with_memory.recalled),
        sum(r.near for r in with_memory.recalled),
        with_memory.segments,
        with_memory.characters,
        without.segments,
        without.characters,
        _letter_characters(config.load(tmp / "with", "follow-up")),
    )


DOCUMENTS = """
[[tool.pipeline.documents]]
name = "letter"
source = "source/letter.md"
signatories = "source/signatories.yaml"

[[tool.pipeline.documents]]
name = "follow-up"
source = "source/follow-up.md"
"""


def second_table(two: Second) -> str:
    return "\n".join(
        [
            "## A second document, with the translation memory",
            "",
            "A follow-up beside the letter (after the three revisions above): 20 of the letter's blocks",
            "repeated, 5 edited by one word, 7 new, into the same 23 languages. With the memory, `translate`",
            "recalls first and sends only the rest; without it (`--no-memory`), it sends everything new.",
            "",
            "| | Entries from memory, exact | near (fuzzy, with #\\|) | Segments sent | Characters billed |",
            "|---|---:|---:|---:|---:|",
            f"| with the memory | {two.exact:,} | {two.near:,} | {two.sent_with:,} "
            f"| **{two.billed_with:,}** |",
            f"| without the memory | 0 | 0 | {two.sent_without:,} | {two.billed_without:,} |",
            f"| document upload | | | | {two.document:,} |",
            "",
            f"With the memory the follow-up bills {two.billed_with / max(1, two.billed_without):.0%} of what"
            f" it bills without, {two.document / max(1, two.billed_with):.0f}× less than document upload.",
            "The repeated blocks bill nothing (exact matches, the letter's machine translations, still",
            "marked unreviewed); the edited ones arrive as near matches, fuzzy with the letter's source as",
            "their previous msgid, for a reviewer to adjust rather than retranslate.",
            "",
        ]
    )


def table(rows: list[Row]) -> str:
    lines = [
        "# DeepL billing: segments through .po files against document upload",
        "",
        f"The letter into {LANGUAGES} languages, measured by `bench/deepl_billing.py` with the real `deepl`",
        "client against the local test server (`tests/deepl_server.py`), which bills like DeepL: Unicode",
        "code points of the text sent, markup and context excluded. Document upload: DeepL bills at least",
        f"{DOCUMENT_MINIMUM:,} characters per document and language, and re-translates the whole document on",
        "every revision.",
        "",
        "| Revision | Segments sent | Requests | Characters billed (segments) "
        "| Document upload: billed | Document upload without the minimum |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.revision} | {r.segments:,} | {r.requests:,} | {r.billed:,} | {r.document:,} "
            f"| {r.document_without_minimum:,} |"
        )
    seg = sum(r.billed for r in rows)
    doc = sum(r.document for r in rows)
    plain = sum(r.document_without_minimum for r in rows)
    lines.append(
        f"| **total, 3 revisions** | {sum(r.segments for r in rows):,} | {sum(r.requests for r in rows):,} "
        f"| **{seg:,}** | **{doc:,}** | {plain:,} |"
    )
    lines += [
        "",
        f"The whole letter is {rows[0].letter:,} billable characters per language, so every document upload",
        f"is billed at the {DOCUMENT_MINIMUM:,} minimum. Over the three revisions, segment translation bills",
        f"{seg / doc:.1%} of what document upload would ({doc / seg:.0f}× less); even without the minimum,",
        f"re-translating whole documents would bill {plain / seg:.1f}× as much. Requests: one per section of",
        "the letter and language (at most 50 texts and 128 KiB each); a revision sends one request per",
        "language that has something new. A second run straight after any of these sends nothing.",
        "A DeepL API Free account allows 500,000 characters a month.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    rows, two = measure()
    text = table(rows) + "\n" + second_table(two)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
