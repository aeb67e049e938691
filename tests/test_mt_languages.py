"""Machine translation for all 23 languages as DeepL serves them: features from /v3/languages,
plain text (the second codec) where there is no tag handling, formality and glossaries by feature."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given, settings

from pipeline import config, languages
from pipeline.catalogs import marks, po, update
from pipeline.errors import TranslateError
from pipeline.mt import deepl_languages, text_codec
from pipeline.mt import run as translate
from pipeline.mt.deepl import DeepLEngine
from pipeline.source import markup

from .deepl_server import KEY, FakeDeepL
from .helpers import ROOT, TERMS, write_glossary
from .mt_damage import damage
from .strategies import ANY_TARGETS, inline

PLAIN_ONLY = ("ga", "hr", "mt")


def test_features_come_from_v3_languages_once_per_run(
    cfg: config.Config, server: FakeDeepL, catalog_for: Callable[[str], Path]
) -> None:
    table = DeepLEngine.from_environment().languages()
    assert table.note == ""
    for code in ("GA", "HR", "MT"):
        assert not table.targets[code].tag_handling and not table.targets[code].glossary
        assert not table.targets[code].formality
    assert table.targets["DE"].tag_handling and table.targets["DE"].glossary and table.targets["DE"].formality
    assert table.targets["PT-PT"].formality and not table.targets["FI"].formality
    for code in ("de", "ga"):
        catalog_for(code)
    before = server.state.requests["/v3/languages"]
    translate.translate(cfg, ["de", "ga"], DeepLEngine.from_environment())
    assert server.state.requests["/v3/languages"] == before + 1
    assert server.state.requests["/v2/languages"] == 0  # deprecated: never asked


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        (dict(kind="status", status=404), "/v3/languages answered HTTP 404"),
        (dict(kind="status", status=503), "/v3/languages answered HTTP 503"),
        (dict(kind="close"), "/v3/languages did not answer"),
        (dict(kind="malformed"), "/v3/languages"),
    ],
)
def test_a_broken_endpoint_falls_back_to_the_dated_table_and_says_so(
    server: FakeDeepL, fault: dict[str, object], says: str
) -> None:
    server.fail(times=9, path="/v3/languages", **fault)  # type: ignore[arg-type]
    table = DeepLEngine.from_environment().languages()
    assert says in table.note and "using DeepL's language table of June 2026" in table.note
    assert table.targets == deepl_languages.FALLBACK
    assert not any(f.beta for f in table.targets.values())  # the fallback marks none as beta


def test_a_refused_key_stays_fatal(server: FakeDeepL) -> None:
    with pytest.raises(TranslateError, match=r"DeepL rejected the key in DEEPL_AUTH_KEY \(HTTP 403\)"):
        DeepLEngine("wrong-key:fx", server.url).languages()


def test_the_fallback_is_said_on_stderr(
    cfg: config.Config, server: FakeDeepL, run: Callable[..., Result]
) -> None:
    update.update(cfg, ["ga"])
    server.fail("status", times=9, status=404, path="/v3/languages")
    result = run("translate", "--lang", "ga", "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        "warning: /v3/languages answered HTTP 404; using DeepL's language table of June 2026" in result.stderr
    )


def test_all_23_languages_fill_and_nothing_of_xml_goes_to_irish_croatian_maltese(
    cfg: config.Config, server: FakeDeepL
) -> None:
    shutil_glossary = ROOT / "locale" / "glossary.csv"
    (cfg.root / "locale").mkdir(exist_ok=True)
    (cfg.root / "locale" / "glossary.csv").write_bytes(shutil_glossary.read_bytes())
    (cfg.root / "locale" / "glossary-forms.csv").write_bytes(
        (ROOT / "locale" / "glossary-forms.csv").read_bytes()
    )
    update.update(cfg, cfg.languages)
    result = translate.translate(cfg, cfg.languages, DeepLEngine.from_environment())
    assert result.error is None, result.error
    for lang in result.languages:
        # Filled, but for an answer the safety rules refuse (the run names it; it stays untranslated).
        entries = po.read(cfg.catalog_path(lang.language), lang.language).entries()
        empty = {e.msgid for e in entries if not e.msgstr}
        assert empty == {msgid for msgid, _ in lang.refused} and len(empty) <= 2, lang.language
        assert lang.language in PLAIN_ONLY or not lang.refused
    for body in server.state.translate_bodies:
        plain = body["target_lang"] in ("GA", "HR", "MT")
        for key in ("tag_handling", "tag_handling_version", "ignore_tags", "glossary_id"):
            assert (key in body) is (not plain and (key != "glossary_id" or "glossary_id" in body)), (
                key,
                body["target_lang"],
            )
        if plain:
            assert not any("<" in t for t in body["text"]), body["text"]
            assert "formality" not in body
        assert body["model_type"] == "quality_optimized"
    record = "\n".join(marks.markers(po.read(cfg.catalog_path("ga"), "ga").entries()[0]))
    assert "model=quality_optimized" in record


def test_the_record_names_the_model_deepl_reports(
    cfg: config.Config, catalog_for: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog_for("de")
    with FakeDeepL(model="latency_optimized") as fake:
        translate.translate(cfg, ["de"], DeepLEngine(KEY, fake.url))
    record = "\n".join(marks.markers(po.read(cfg.catalog_path("de"), "de").entries()[0]))
    assert "model=latency_optimized" in record


def test_model_type_is_configurable(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: FakeDeepL
) -> None:
    toml = cfg.root / "pyproject.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            "[tool.pipeline]\n", '[tool.pipeline]\nmodel-type = "latency_optimized"\n'
        ),
        encoding="utf-8",
    )
    catalog_for("de")
    translate.translate(config.load(cfg.root), ["de"], DeepLEngine.from_environment())
    assert {b["model_type"] for b in server.state.translate_bodies} == {"latency_optimized"}


def test_dry_run_says_per_language_how_it_would_go(
    cfg: config.Config, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    update.update(cfg, ["de", "ga", "sv"])
    with FakeDeepL(beta=("SV",)) as fake:
        monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
        monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
        result = run("translate", "--lang", "de", "--lang", "ga", "--lang", "sv", "--dry-run")
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines()[:3])
    assert lines["de"].endswith("; tag handling yes, glossary yes, formality prefer_more, billed yes")
    assert lines["ga"].endswith("; tag handling no, glossary no, formality none, billed yes")
    assert lines["sv"].endswith(
        "; tag handling yes, glossary yes, formality none, billed no (a beta language)"
    )
    ga_chars = int(re.search(r"(\d+) characters", lines["ga"]).group(1))  # type: ignore[union-attr]
    de_chars = int(re.search(r"(\d+) characters", lines["de"]).group(1))  # type: ignore[union-attr]
    assert ga_chars > de_chars  # without tag handling the placeholder tokens are billed too


def test_a_beta_language_is_not_billed(cfg: config.Config, catalog_for: Callable[[str], Path]) -> None:
    catalog_for("sv")
    with FakeDeepL(beta=("SV",)) as fake:
        result = translate.translate(cfg, ["sv"], DeepLEngine(KEY, fake.url))
    assert result.characters == 0 and fake.state.billed == 0 and result.segments == 48


def test_no_glossary_is_sent_where_deepl_has_none(
    cfg: config.Config, server: FakeDeepL, run: Callable[..., Result]
) -> None:
    write_glossary(cfg, TERMS)
    update.update(cfg, ["de", "ga", "hr"])
    result = run("translate", "--lang", "de", "--lang", "ga", "--lang", "hr")
    assert result.exit_code == 0, result.output
    assert "glossary: DeepL has none for ga, hr; translated without it" in result.stderr
    by_target = {b["target_lang"]: b for b in server.state.translate_bodies}
    assert (
        "glossary_id" in by_target["DE"]
        and "glossary_id" not in by_target["GA"]
        and "glossary_id" not in by_target["HR"]
    )


# -- the second codec ---------------------------------------------------------------


def _letter() -> list[tuple[str, bool, bool]]:
    template = po.read(ROOT / "locale" / "letter.pot", None).po
    return [
        (e.msgid, "python-brace-format" in e.flags, e.msgctxt == "interface") for e in template if e.msgid
    ]


@pytest.mark.parametrize(("msgid", "braces", "plain"), _letter(), ids=lambda v: str(v)[:24])
def test_the_text_codec_round_trips_every_entry_of_the_letter(msgid: str, braces: bool, plain: bool) -> None:
    encoded = text_codec.encode(msgid, brace_format=braces, plain=plain)
    assert "<" not in encoded.text and "](" not in encoded.text and "http" not in encoded.text
    decoded = text_codec.decode(encoded, encoded.text)
    assert decoded.problems == ()
    assert decoded.markdown == (encoded.xml.source)


@pytest.mark.parametrize("target", [c.upper() for c in PLAIN_ONLY])
def test_damaged_answers_are_repaired_or_flagged_never_passed_off(target: str) -> None:
    intact = flagged = 0
    for seed in range(12):
        for msgid, braces, plain in _letter():
            encoded = text_codec.encode(msgid, brace_format=braces, plain=plain)
            decoded = text_codec.decode(encoded, damage(f"[{target}] {encoded.text}", target, seed))
            if decoded.problems:
                flagged += 1
                continue
            want = Counter(markup.elements(markup.parse_inline(encoded.xml.source)))
            assert Counter(markup.elements(markup.parse_inline(decoded.markdown))) == want, decoded.markdown
            assert "invalid" not in decoded.markdown.lower() and "@" not in decoded.markdown
            intact += 1
    assert intact > 0.85 * (intact + flagged)


@settings(max_examples=200, deadline=None)
@given(inline(targets=ANY_TARGETS, extra=("image", "field")))
def test_the_text_codec_keeps_generated_markdown(text: str) -> None:
    msgid = markup.normalise(text)
    if not msgid or markup.normalise(msgid) != msgid:
        return
    encoded = text_codec.encode(msgid, brace_format=True)
    decoded = text_codec.decode(encoded, encoded.text)
    if decoded.problems:  # the text itself holds something token-like: flagged, never wrong
        return
    assert decoded.markdown == msgid
    damaged = text_codec.decode(encoded, damage(encoded.text, "HR", 3))
    if not damaged.problems:
        want = Counter(markup.elements(markup.parse_inline(msgid)))
        assert Counter(markup.elements(markup.parse_inline(damaged.markdown))) == want


def test_every_target_is_in_the_fallback_table() -> None:
    assert {languages.get(c).deepl for c in languages.TARGET_CODES} <= set(deepl_languages.FALLBACK)
