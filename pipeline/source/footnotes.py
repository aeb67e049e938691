"""Footnote references (``[^label]``) in linear time.

mdit-py-plugins finds a reference's label by scanning from each ``[^`` to the next ``]``,
space or newline: a run of ``[^`` with no ``]`` costs the square of its length (20 KB of
source took 14 s). Here the stops of a text are found once, and each ``[^`` looks its
label's end up by bisection. The rule otherwise does what the plugin's does; a label is at
most 999 characters, as CommonMark's link labels are.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.footnote import footnote_plugin

MAX_LABEL = 999
_STOPS = re.compile(r"[ \n\]]")


def _stops(text: str) -> list[int]:
    return [found.start() for found in _STOPS.finditer(text)]


def _label_end(text: str, stops: list[int], start: int) -> int | None:
    """Where the label of a ``[^`` at ``start`` ends (the index of its ``]``), if it is one."""
    found = bisect_left(stops, start + 2)
    if found == len(stops):
        return None
    end = stops[found]
    if text[end] != "]" or not 0 < end - start - 2 <= MAX_LABEL:
        return None
    return end


def footnote_refs(text: str) -> list[tuple[str, int]]:
    """Each ``[^label]`` in ``text`` with the index after its ``]``, overlapping ("[^[^a]" holds two)."""
    if "[^" not in text:
        return []
    stops = _stops(text)
    found = []
    start = text.find("[^")
    while start != -1:
        end = _label_end(text, stops, start)
        if end is not None:
            found.append((text[start + 2 : end], end + 1))
        start = text.find("[^", start + 1)
    return found


def footnote_env(labels: Sequence[str]) -> dict[str, Any]:
    """A parser env in which ``[^label]`` is a footnote reference for each label."""
    unique = list(dict.fromkeys(labels))
    return {
        "footnotes": {
            "refs": {f":{label}": i for i, label in enumerate(unique)},
            "list": {i: {"label": label, "count": 0} for i, label in enumerate(unique)},
        }
    }


def _cached_stops(state: StateInline) -> list[int]:
    cache = state.env.setdefault("_footnote_stops", {})
    key = id(state.src)
    held = cache.get(key)
    if held is None or held[0] is not state.src:
        held = cache[key] = (state.src, _stops(state.src))
    return held[1]


def footnote_ref(state: StateInline, silent: bool) -> bool:
    """The plugin's reference rule, finding the label's end by bisection."""
    start, maximum = state.pos, state.posMax
    data = state.env.get("footnotes") or {}
    refs = data.get("refs")
    if not refs or start + 3 > maximum or state.src[start : start + 2] != "[^":
        return False
    end = _label_end(state.src, _cached_stops(state), start)
    if end is None or end >= maximum:
        return False
    label = state.src[start + 2 : end]
    if ":" + label not in refs:
        return False
    if not silent:
        footnote_id = refs[":" + label]
        if footnote_id < 0:  # defined, referenced here for the first time: numbered now
            footnote_id = refs[":" + label] = len(data["list"])
            data["list"][footnote_id] = {"label": label, "count": 0}
        entry = data["list"][footnote_id]
        token = state.push("footnote_ref", "", 0)
        token.meta = {"id": footnote_id, "subId": entry["count"], "label": label}
        entry["count"] += 1
    state.pos = end + 1
    return True


def use(md: MarkdownIt) -> MarkdownIt:
    """``md`` with footnotes (definitions as blocks, ``[^label]`` references; no inline notes)."""
    md.use(footnote_plugin, inline=False)
    md.inline.ruler.at("footnote_ref", footnote_ref)
    return md
