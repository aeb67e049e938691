"""Inline Markdown <-> XML for machine translation: round trips, and every way markup can break."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline import config
from pipeline.mt.plan import plain_text
from pipeline.mt.xml_codec import IGNORE_TAGS, decode, encode
from pipeline.source import document, markup
from pipeline.source.segments import Segment, segments

from .helpers import ROOT
from .strategies import ANY_TARGETS, inline

RUSSIA = "These harms [in Russia](#), [Serbia](https://e.org/rs) and **in *Hong* Kong**.[^1]"


def _letter_segments() -> list[Segment]:
    cfg = config.load(ROOT)
    return segments(document.read(cfg), cfg.root)


@pytest.mark.parametrize("segment", _letter_segments(), ids=lambda s: s.msgid[:30])
def test_every_msgid_of_the_letter_round_trips(segment: Segment) -> None:
    encoded = encode(segment.msgid, brace_format=segment.brace_format)
    decoded = decode(encoded, encoded.xml)
    assert decoded.problems == ()
    assert decoded.markdown == segment.msgid


def test_urls_are_never_sent_and_markup_is_not_billed() -> None:
    msgid = "See <https://e.org/a_b> and [the ruling](https://e.org/ruling), `x < y`\\\nnow[^2]."
    encoded = encode(msgid)
    assert "e.org" not in encoded.xml
    assert encoded.xml == (
        'See <x id="1"/> and <a id="2">the ruling</a>, <x id="3"/><x id="4"/>now<x id="5"/>.'
    )
    assert IGNORE_TAGS == ("x",)
    assert encoded.text == "See  and the ruling, now."
    assert encoded.characters == len("See  and the ruling, now.")


def test_text_is_escaped_both_ways() -> None:
    msgid = markup.normalise("5 \\* 3 < 4 & AT\\&T \\[not a link\\] a\\_b \\&amp;")
    encoded = encode(msgid)
    assert encoded.xml == "5 * 3 &lt; 4 &amp; AT&amp;T [not a link] a_b &amp;amp;"
    assert decode(encoded, encoded.xml).markdown == msgid
    # A translation that brings its own Markdown characters gets them escaped, never read as markup.
    answer = decode(encode("plain"), "a *star* and [brackets] &amp; &lt;b&gt;")
    assert answer.markdown == "a \\*star\\* and \\[brackets\\] & \\<b\\>"
    assert answer.ok


def test_brace_fields_are_placeholders_in_brace_format_strings() -> None:
    encoded = encode("Page {page} of {pages}", brace_format=True)
    assert encoded.xml == 'Page <x id="1"/> of <x id="2"/>'
    assert decode(encoded, 'Seite <x id="1"/> von <x id="2"/>').markdown == "Seite {page} von {pages}"
    assert encode("Page {page}").xml == "Page {page}"


def test_a_translation_may_reorder_links_and_each_keeps_its_target() -> None:
    encoded = encode(RUSSIA)
    answer = (
        'Diese Schäden: <a id="2">Serbien</a>, <a id="1">Russland</a> und '
        '<strong id="3">in <em id="4">Hong</em> Kong</strong>.<x id="5"/>'
    )
    decoded = decode(encoded, answer)
    assert decoded.ok
    assert decoded.markdown == (
        "Diese Schäden: [Serbien](https://e.org/rs), [Russland](#) und **in *Hong* Kong**.[^1]"
    )


def test_spaces_a_machine_puts_inside_emphasis_move_outside() -> None:
    encoded = encode("a **b** c")
    decoded = decode(encoded, 'x<strong id="1"> y </strong>z')
    assert decoded.markdown == "x **y** z"
    assert decoded.ok


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (
            'Schäden <a id="1">in Russland</a>, Serbien und <strong id="3">in <em id="4">Hong</em> Kong'
            '</strong>.<x id="5"/>',
            "link 2 ('Serbia') lost",
        ),
        (
            '<a id="1">R</a> <a id="2">S</a> <strong id="3">in <em id="4">H</em> K</strong>.',
            "footnote [^1] missing",
        ),
        (
            '<a id="1">R</a> <a id="2">S</a> <strong id="3"><em id="4">H</em></strong><x id="5"/><x id="5"/>',
            "footnote [^1] doubled",
        ),
        (
            '<a id="1">R</a> <a id="2">S <strong id="3">in <em id="4">H</em></a> K</strong><x id="5"/>',
            "malformed XML (mismatched tag at column 66)",
        ),
        (
            '<a id="1">R</a> <a id="2">S</a> <strong id="3"><em id="4">H</em><x id="5"/></strong>',
            "footnote [^1] moved into strong emphasis 1 ('in Hong Kong')",
        ),
        (
            '<a id="1">R</a> <a id="2">S</a> <em id="4">H</em> <strong id="3">K</strong><x id="5"/>',
            "emphasis 1 ('Hong') moved out of strong emphasis 1 ('in Hong Kong')",
        ),
        (
            '<a id="1">R</a> <a id="2"></a> <strong id="3"><em id="4">H</em></strong><x id="5"/>',
            "link 2 ('Serbia') emptied",
        ),
        (
            '<a id="1">R</a> <a id="2">S</a> <strong id="3"><em id="4">H</em></strong><x id="5"/><b>fett</b>',
            "unexpected tag <b>",
        ),
        (
            '<a id="1">R</a> <a id="2">S</a> <strong id="3"><em id="4">H</em></strong><x id="9"/>',
            'unexpected tag <x id="9">',
        ),
        (
            '<a id="1">R</a> <a id="2">S</a> <strong id="3"><em id="4">H</em></strong><x id="5"/></i>',
            "stray closing tag </i>",
        ),
        (
            '<a id="1">R</a> <a id="2">S</a> <strong id="3"><em id="4">H</em><x id="5"/>',
            "strong emphasis 1 ('in Hong Kong') not closed",
        ),
    ],
)
def test_broken_markup_is_found_and_described(answer: str, problem: str) -> None:
    decoded = decode(encode(RUSSIA), answer)
    assert problem in decoded.problems, decoded.problems
    assert not decoded.ok


def test_a_broken_answer_still_yields_its_text_for_a_person_to_repair() -> None:
    decoded = decode(encode("a [b](https://e.org) c[^1]"), 'x <a id="1">y & z</a')
    assert decoded.markdown.startswith("x [y & z")
    assert decoded.problems[0].startswith("malformed XML")


def test_every_placeholder_kind_is_named_when_lost() -> None:
    encoded = encode("a `code`, <https://e.org/x>, b\\\nc ![pic](i.png) [^7]")
    decoded = decode(encoded, "nichts")
    assert decoded.problems == (
        "code `code` missing",
        "URL <https://e.org/x> missing",
        "line break 1 missing",
        "image 1 missing",
        "footnote [^7] missing",
    )


def test_plain_text_is_what_a_reader_sees() -> None:
    assert plain_text(RUSSIA) == "These harms in Russia, Serbia and in Hong Kong."
    assert plain_text("See <https://e.org/x>\\\nnow") == "See now"


# -- property: any inline Markdown survives the trip ----------------------------


@settings(max_examples=300, deadline=None)
@given(inline(targets=ANY_TARGETS, extra=("image", "field")), st.booleans())
def test_decode_of_encode_is_the_identity(text: str, braces: bool) -> None:
    msgid = markup.normalise(text)
    assume(msgid and markup.normalise(msgid) == msgid)  # markup.py's own fixed point, tested there
    encoded = encode(msgid, brace_format=braces)
    decoded = decode(encoded, encoded.xml)
    assert decoded.problems == ()
    assert decoded.markdown == msgid
    # What is billed is the text a reader sees, markup excluded.
    assert len(encoded.text) == encoded.characters
    kinds = Counter(p.kind for p in encoded.pieces)
    assert kinds["link"] == sum(1 for e in markup.elements(markup.parse_inline(msgid)) if e.kind == "link")


def test_a_bang_before_a_link_does_not_turn_it_into_an_image() -> None:
    msgid = markup.normalise("[Uyghur Muslims](#) [Russia](#) **X *Y* Z**[^1]")
    encoded = encode(msgid)
    xml = 'Hallo!<a id="1">R</a> <a id="2">S</a> <strong id="3"><em id="4">H</em> K</strong><x id="5"/>'
    decoded = decode(encoded, xml)
    assert decoded.problems == ()
    assert decoded.markdown.startswith("Hallo\\![R](#)")


@pytest.mark.xfail(
    strict=True, reason="known: a run of emphasis nested in strong nested in emphasis loses one level"
)
def test_nested_emphasis_found_by_hypothesis_survives_the_trip() -> None:
    """Found by the property test above when it explored (CI replays fixed examples). The codec
    reports the loss ("lost emphasis"), so MT output with it is marked broken, never taken as it is."""
    msgid = markup.normalise("*x*x0y* 0 **x:*y** 0y* **x*x0y* 0 **x:*y** 0y**")
    encoded = encode(msgid)
    decoded = decode(encoded, encoded.xml)
    assert decoded.problems == () and decoded.markdown == msgid
