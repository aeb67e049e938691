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

Usage, from the project root (writes bench/results/deepl-billing.md):

    .venv/bin/python bench/deepl_billing.py
"""

from __future__ import annotations

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


def measure() -> list[Row]:
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
        return rows


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
    text = table(measure())
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
