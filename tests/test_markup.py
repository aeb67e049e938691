"""The msgid form: inline Markdown in one normal form that round-trips."""

from __future__ import annotations

from hypothesis import given, settings

from pipeline.source import markup

from .strategies import inline, plain_words


def test_normal_form_of_each_construct() -> None:
    assert markup.normalise("a _b_ __c__ [d](#) <https://e.org/x>[^1]") == (
        "a *b* **c** [d](#) <https://e.org/x>[^1]"
    )


def test_soft_breaks_join_and_hard_breaks_use_a_backslash() -> None:
    assert markup.normalise("one\ntwo") == "one two"
    assert markup.normalise("one  \ntwo") == "one\\\ntwo"
    assert markup.normalise("one\\\ntwo") == "one\\\ntwo"


def test_raw_html_is_text_and_escaped() -> None:
    assert markup.normalise("<b>x</b> 5 * 3") == "\\<b\\>x\\</b\\> 5 \\* 3"
    assert markup.has_raw_html("a <img src=x> b")
    assert not markup.has_raw_html("a < b and c > d")


def test_link_destinations_that_need_brackets() -> None:
    assert markup.normalise("[a](<x y>)") == "[a](x%20y)"  # markdown-it percent-encodes
    assert markup.normalise("[a](http://e.org/a(b))") == "[a](<http://e.org/a(b)>)"
    assert markup.normalise('[a](http://e.org "T")') == '[a](http://e.org "T")'


def test_elements_list_what_a_translation_must_keep() -> None:
    found = markup.elements(markup.parse_inline("**a** *b* [c](#) `d` [^2]\\\ne"))
    assert [e.kind for e in found] == ["strong", "em", "link", "code", "footnote", "break"]
    assert found[2].value == "#" and found[4].value == "2"


def test_link_targets_can_be_swapped_without_touching_the_text() -> None:
    text = "Siehe [hier](#) und [dort](#)."
    new = markup.with_link_targets(text, ["https://a.eu/", "https://b.eu/"])
    assert new == "Siehe [hier](https://a.eu/) und [dort](https://b.eu/)."
    assert markup.without_link_targets(new) == markup.without_link_targets(text)


@settings(max_examples=200, deadline=None)
@given(inline(nested=False, alphabet=plain_words))
def test_normal_form_is_a_fixed_point(text: str) -> None:
    once = markup.normalise(text)
    assert markup.normalise(once) == once


def test_a_bang_before_a_link_stays_text() -> None:
    assert markup.normalise("Hi\\![x](https://e.org)") == "Hi\\![x](https://e.org)"
    assert [e.kind for e in markup.elements(markup.parse_inline("Hi\\![x](https://e.org)"))] == ["link"]


# Source inline Markdown whose msgid must parse back to the same tokens (from the
# CommonMark spec examples and exhaustive short strings; see the round-trip study).
ROUND_TRIP = [
    '![foo *bar*](/url "title")',  # image titles
    "![ foo ](/u)",  # an image's description keeps its spaces
    "*_foo_*",  # em inside em: not strong
    "**_foo_**",  # em inside strong: not em(strong)
    "*foo*_bar_",  # two ems side by side
    "_a*a*a_",  # em inside em, within a word
    "` ` and `  `",  # code spans of spaces only
    "foo&#10;&#10;bar",  # a line end from a reference
    "&#32;foo&#9;",  # spaces at the ends
    "a&#7;b",  # a control character
    '[a](/u?&amp;amp; "&amp;amp;")',  # an entity in a target or title stays literal
    "<http://a.b/%41>",  # autolink whose text and target differ
    "x[^1]",
]


def test_msgids_parse_back_to_the_source_tokens() -> None:
    for text in ROUND_TRIP:
        source = markup.parse_inline(text)
        msgid = markup.to_markdown(source)
        back = markup.parse_inline(msgid)
        assert markup.signature(back) == markup.signature(source), (text, msgid)
        assert markup.to_markdown(back) == msgid, (text, msgid)
