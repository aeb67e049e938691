"""Hypothesis strategies the tests share: inline Markdown of every construct the msgid form has."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

# Letters of several scripts, digits and punctuation; RICH adds what Markdown reads as markup.
PLAIN = "abcdefghijklmnopqrstuvwxyzäöüßçéΩжё0123456789.,;:!?'\"()&-/"
RICH = PLAIN + "<>{}_*`#[]\\ "
words = st.text(alphabet=RICH, min_size=1, max_size=10)
plain_words = st.text(alphabet=PLAIN, min_size=1, max_size=8)
WEB_TARGETS = ("https://e.org/a_b", "<https://e.org/a b>", "https://e.org/0")
ANY_TARGETS = ("#", *WEB_TARGETS, "/x (1)")
FLAT = ("plain", "code", "fn", "break", "auto")


@st.composite
def inline(
    draw: st.DrawFn,
    depth: int = 0,
    *,
    targets: Sequence[str] = WEB_TARGETS,
    extra: Sequence[str] = (),
    nested: bool = True,
    alphabet: st.SearchStrategy[str] = words,
) -> str:
    """Inline Markdown: text, emphasis, strong, links (to ``targets``), code, footnote references,
    hard breaks and autolinks, nested up to two deep; ``extra`` adds "image" and "field"."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        kinds = [*FLAT, *extra]
        if depth < 2:
            kinds += ["em", "strong", "link"]
        kind = draw(st.sampled_from(kinds))
        inner = ""
        if kind in ("em", "strong", "link"):
            deeper = nested and depth < 1
            inner = (
                draw(inline(depth + 1, targets=targets, extra=extra, alphabet=alphabet))
                if deeper
                else draw(alphabet)
            )
        parts.append(_piece(draw, kind, draw(alphabet), inner, targets))
    return draw(st.sampled_from([" ", "", ", "])).join(parts)


def _piece(draw: st.DrawFn, kind: str, word: str, inner: str, targets: Sequence[str]) -> str:
    if kind == "em":
        return f"*x{inner}y*"
    if kind == "strong":
        return f"**x{inner}y**"
    if kind == "link":
        return f"[{inner or 'x'}]({draw(st.sampled_from(targets))})"
    return {
        "plain": word,
        "code": f"`{word}`",
        "fn": f"[^{draw(st.integers(1, 3))}]",
        "break": "x\\\ny",
        "auto": "<https://e.org/a>",
        "image": "![alt](i.png)",
        "field": "{name}",
    }[kind]
