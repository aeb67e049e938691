"""Round trip: extract, set every msgstr to its msgid, render == render the source itself."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polib
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import config
from pipeline.source import document
from pipeline.source.segments import segments
from pipeline.typeset.lookup import Translation
from pipeline.typeset.markdown import body_html

from .strategies import inline, plain_words

SIGNATORIES = "scopes: {}\norganisations: []\nindividuals: []\n"


@st.composite
def letters(draw: st.DrawFn) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["p", "h", "list", "quote"]))
        text = draw(inline(nested=False, alphabet=plain_words))
        if kind == "p":
            blocks.append(text)
        elif kind == "h":
            blocks.append("## " + text.replace("\\\n", " "))
        elif kind == "list":
            blocks.append(
                "\n".join(
                    f"- {draw(inline(nested=False, alphabet=plain_words)).replace(chr(92) + chr(10), ' ')}"
                    for _ in range(2)
                )
            )
        else:
            blocks.append("> " + text.replace("\\\n", " "))
    blocks.append(
        "[^1]: " + draw(inline(nested=False, alphabet=plain_words)).replace("\\\n", " ").replace("[^1]", "")
    )
    return "\n\n".join(blocks) + "\n"


FRONT = '---\ntitle: "T"\nplace: P\ndate: 2022-05-10\nslug: s\nsignatories: s.yaml\n---\n\n'


@settings(max_examples=60, deadline=None)
@given(letters())
def test_rendering_msgids_equals_rendering_the_source(body: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "source").mkdir()
        (root / "source" / "letter.md").write_text(FRONT + body, encoding="utf-8")
        (root / "source" / "s.yaml").write_text(SIGNATORIES, encoding="utf-8")
        cfg = config.Config(root=root)
        letter = document.read(cfg)
        entries = {
            seg.key: polib.POEntry(msgid=seg.msgid, msgstr=seg.msgid, msgctxt=seg.context)
            for seg in segments(letter, root)
        }
        translated = Translation("de", root / "de.po", entries)
        source = Translation("en", None)
        for mode in ("pdf", "html"):
            assert body_html(letter, translated, mode) == body_html(letter, source, mode)
        assert not translated.fallbacks()
