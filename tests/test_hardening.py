"""Hostile translations, sources, configurations and server answers: each ends as a check error at
the entry's line, a clear Error, or safe output. Nothing runs in a page, hides text or is lost."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from pipeline import config, render_language
from pipeline.catalogs import po, update
from pipeline.checks import catalog as checks
from pipeline.errors import ConfigError, PipelineError, RenderError, SourceError, TranslateError
from pipeline.mt import run as translate
from pipeline.mt.deepl import DeepLEngine

from .allowlist import violations
from .fake_engine import FakeEngine
from .helpers import copy_shipped, edit_source

DEAR = "Dear honourable Members of the European Parliament,"
SVG = "<svg/onload=alert(1)>"


def _set(path: Path, msgid: str, msgstr: str, context: str | None = None) -> int:
    """Set one entry as a reviewed translation; its line in the file."""
    catalog = po.read(path, "de")
    entry = next(e for e in catalog.entries() if e.msgid == msgid and e.msgctxt == context)
    entry.msgstr, entry.flags = msgstr, [f for f in entry.flags if f != "fuzzy"]
    path.write_bytes(po.serialise(catalog.po, path))
    return next(e.linenum for e in po.read(path, "de").entries() if e.msgid == msgid and e.msgctxt == context)


def _errors_at(cfg: config.Config, line: int) -> list[str]:
    found = checks.check_catalog(cfg, "de", None)
    return [f"{f.code}: {f.message}" for f in found if f.severity == "error" and f.line == line]


CASES = {
    # (msgid, context, msgstr, what check says)
    "dateline-script": ("{place}, {date}", "interface", "{place}, {date}" + SVG, "HTML in the text"),
    "dateline-comment": ("{place}, {date}", "interface", "{place}, {date}<!--", "HTML in the text"),
    "page-label-style": (
        "Page {page} of {pages}",
        "interface",
        'Seite {page} von {pages} </style x><svg/onload="x">',
        "HTML",
    ),
    "escaped-script": (DEAR, None, "Sehr geehrte \\<script \\>alert(1)\\</script\\>", "HTML in the text"),
    "entity-script": (DEAR, None, "Sehr geehrte &lt;svg/onload=alert(1)&gt;", "HTML in the text"),
    "bidi": (
        "**We write to you today as 53 organisations to ask: Will you stand up for our rights by prohibiting "
        "biometric mass surveillance in the Artificial Intelligence Act?**",
        None,
        "**Wir, \u202e53\u202c Organisationen, fragen: Verbieten Sie biometrische Massenüberwachung?**",
        "bidirectional",
    ),
    "zero-width-draft-mark": ("Draft — translation not yet reviewed", "interface", "\u200b", "invisible"),
    "dot-draft-mark": (
        "Draft — translation not yet reviewed",
        "interface",
        ".",
        "draft mark must say something",
    ),
    "empty-note": (
        "This is a translation. The English text is the original.",
        "interface",
        "   ",
        "shows nothing",
    ),
    "many-footnotes": (
        "These harms are not hypothetical. [Uyghur Muslims have been systematically persecuted](#)",
        None,
        "",
        "footnote references where the source has 1",
    ),
    "deep-nesting": (DEAR, None, " ".join(["*a"] * 30) + " x" + "a* " * 30, "nested 30 deep"),
    "empty-link": ("These harms", None, "", "a link with no text"),
    "combining": (DEAR, None, "Sehr geehrte Abgeordne\u0301\u0301\u0301\u0301te,", "combining marks"),
    "reference-bidi": (DEAR, None, "Sehr geehrte &#8238;Abgeordnete&#8236;,", "bidirectional"),
    "tag-character": (DEAR, None, "Sehr geehrte Abgeordnete,\U000e0041", "invisible or unassigned"),
    # A mark with no width of its own, and letters that draw nothing: text that is not there.
    "variation-selector": (DEAR, None, "\ufe00", "variation selector"),
    "hangul-filler": (DEAR, None, "\u3164\u3164", "HANGUL FILLER"),
    # Marks from any block count, and anything invisible between them does not restart the count.
    "cyrillic-marks": (DEAR, None, "Уважаеми А\u0483\u0484\u0485\u0486\u0487,", "combining marks"),
    "marks-and-joiners": (DEAR, None, "Sehr geehrte A\u0301\u200d\u0301\u200d\u0301,", "combining marks"),
    "space-run-draft-mark": (
        "Draft — translation not yet reviewed",
        "interface",
        "\u00a0" * 30 + "Entwurf",
        "run of spaces",
    ),
    "long-interface-string": ("Notes", "interface", "Anmerkungen " * 6 + "x", "far longer"),
    "no-glyph": (DEAR, None, "Sehr geehrte Abgeordnete 😀,", "no glyph"),
    "invisible-link": ("These harms", None, "", "variation selector"),
}


def _case(cfg: config.Config, case: str) -> tuple[str, str | None, str, str]:
    msgid, context, msgstr, says = CASES[case]
    if case in ("many-footnotes", "empty-link", "invisible-link"):  # the paragraph with links and a note
        msgid = next(
            e.msgid
            for e in po.read(cfg.catalog_path("de"), "de").entries()
            if e.msgid.startswith("These harms")
        )
        links = "[Uiguren](#), [Russland](#), [Serbien](#), [Hongkong](#)"
        msgstr = {
            "many-footnotes": f"Diese Schäden: {links}." + "[^1]" * 40,
            "empty-link": "Diese [](#), [a](#), [b](#), [c](#).[^1]",
            "invisible-link": "Diese [\ufe00](https://x.example/t), [a](#), [b](#), [c](#).[^1]",
        }[case]
    return msgid, context, msgstr, says


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_check_reports_it_at_the_line_and_render_refuses_it(
    cfg: config.Config, catalog_for: Callable[[str], Path], case: str
) -> None:
    path = catalog_for("de")
    msgid, context, msgstr, says = _case(cfg, case)
    line = _set(path, msgid, msgstr, context)
    errors = _errors_at(cfg, line)
    assert any(says in e for e in errors), errors
    with pytest.raises(RenderError) as err:
        render_language(cfg, "de", ("html",))
    assert err.value.path == path and err.value.line == line
    assert not (cfg.root / "output" / "de").exists()


def test_every_rendered_page_keeps_to_the_allowlist(cfg: config.Config, run: Callable[..., Result]) -> None:
    from pipeline import languages

    for code in languages.TARGET_CODES:
        copy_shipped(cfg, code)
    assert run("render", "--all", "--format", "html").exit_code == 0
    pages = sorted((cfg.root / "output").glob("*/*.html"))
    assert len(pages) == 24
    for page in pages:
        assert violations(page.read_text(encoding="utf-8")) == [], page.name


def test_hostile_source_labels_and_names_stay_text(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    label = 'a"/onfocus="alert(1)"/autofocus="'
    edit_source(cfg, "the world.[^1]", f"the world.[^{label}]")
    edit_source(cfg, "[^1]: ", f"[^{label}]: ")
    sig = cfg.root / "source" / "signatories.yaml"
    sig.write_text(
        sig.read_text(encoding="utf-8").replace('"Access Now"', '"<img src=x onerror=alert(1)>"'),
        encoding="utf-8",
    )
    catalog_for("de")
    for code in ("en", "de"):
        [page] = render_language(cfg, code, ("html",)).paths
        html = page.read_text(encoding="utf-8")
        assert violations(html) == [], code
        assert 'id="fn-a_22_' in html  # the label, as a plain id


def test_machine_answers_the_rules_refuse_are_not_written(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    engine = FakeEngine()
    bad = {"Brussels": "Brüssel &lt;svg/onload=alert(1)&gt;", "Notes": "Anm\x1berkungen\x07"}
    engine.mangle = lambda text, target: next((v for k, v in bad.items() if k in text), text)
    result = translate.translate(cfg, ["de"], engine)
    [lang] = result.languages
    refused = dict(lang.refused)
    assert set(refused) == {"Brussels", "Notes"}
    assert "HTML in the text" in refused["Brussels"] and "control character U+001B" in refused["Notes"]
    entries = {(e.msgctxt, e.msgid): e for e in po.read(path, "de").entries()}
    assert entries[(None, "Brussels")].msgstr == "" and entries[("interface", "Notes")].msgstr == ""
    assert sum(1 for e in entries.values() if e.msgstr) == 46
    assert checks.check_catalog(cfg, "de", None) is not None  # the catalog stays readable


@pytest.mark.parametrize("key", ["abc\ndef:fx", "abc def:fx", "abc\x00:fx"])
def test_a_malformed_key_is_refused_and_never_shown(key: str) -> None:
    with pytest.raises(TranslateError, match="DEEPL_AUTH_KEY holds a space") as err:
        DeepLEngine.from_environment({"DEEPL_AUTH_KEY": key})
    assert "abc" not in str(err.value)


def test_the_key_is_scrubbed_in_every_form() -> None:
    engine = DeepLEngine("s3cr3t/k+y:fx")
    for form in ("s3cr3t/k+y:fx", "s3cr3t%2Fk%2By%3Afx", "s3cr3t%2Fk%2By%3Afx".replace("%2F", "/")):
        assert "s3cr3t" not in engine._scrub(ValueError(f"bad: {form} and {form!r}"))


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('locale-dir = "../.."', "locale-dir = '../..' leads outside the project folder"),
        ('output-dir = "/tmp/x"', "output-dir = '/tmp/x' leads outside the project folder"),
        ('source = "../letter.md"', "source = '../letter.md' leads outside"),
        ('glossary = "locale/../../g.csv"', "leads outside"),
        ('domain = "../../tmp/x"', "domain = '../../tmp/x' must be a plain name"),
        ('domain = "a.b"', "must be a plain name"),
        ('organisation = "A\\nB"', "organisation holds a control character"),
    ],
)
def test_configuration_cannot_escape_the_project(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.pipeline]\n{toml}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        config.load(tmp_path)


def test_a_slug_with_a_line_break_is_refused(cfg: config.Config, run: Callable[..., Result]) -> None:
    edit_source(cfg, "slug: reclaim-your-face-open-letter", 'slug: "evil\\n"') if False else None
    text = cfg.source_path.read_text(encoding="utf-8").replace(
        "slug: reclaim-your-face-open-letter", 'slug: "evil\\n"'
    )
    cfg.source_path.write_text(text, encoding="utf-8")
    result = run("render", "--lang", "en")
    assert result.exit_code == 1 and "slug must be lower-case letters, digits and hyphens" in result.stderr


def test_yaml_aliases_are_refused(cfg: config.Config) -> None:
    text = cfg.source_path.read_text(encoding="utf-8")
    cfg.source_path.write_text(
        text.replace("place: Brussels", "x: &a [1, 2]\nplace: *a", 1), encoding="utf-8"
    )
    with pytest.raises(SourceError, match=r"an alias \(\*a\)"):
        from pipeline.source import document

        document.read(cfg)
    sig = cfg.root / "source" / "signatories.yaml"
    cfg.source_path.write_text(text, encoding="utf-8")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    sig.write_text(bomb, encoding="utf-8")
    with pytest.raises(SourceError, match="alias"):
        from pipeline.source import document

        document.read(cfg)


# What libyaml and PyYAML's own parser could read differently: the fast path must give the same
# data, or the same refusal, as the pure-Python loader that refuses aliases.
SAME_YAML = [
    "date: 2022-05-10\nwhen: 2001-12-14t21:59:43.10-05:00\nyes: no\nn: 0o17\nh: 0x1F",
    "a: [1, 2]\nb: {c: d}\nk: 1\nk: 2",  # a repeated key: the last wins in both
    "names:\n  - name: Équipe «X»\n    where: [de, fr]\n",
    "a:\t1",  # a tab: PyYAML refuses it; libyaml alone would not
    "a: b\t# c",
    "a: [\t1]",
    "a: &x 1\nb: *x",  # an alias
    "a: !!python/object:os.system x",
    "a: [1, 2",
    "%YAML 1.3\n---\na: 1",
]


@pytest.mark.parametrize("text", SAME_YAML)
def test_the_fast_yaml_path_reads_what_the_pure_python_one_does(text: str, tmp_path: Path) -> None:
    import yaml

    from pipeline.source import signatories

    path = tmp_path / "x.yaml"
    try:
        expected: object = yaml.load(text, Loader=signatories._NoAliases)
    except yaml.YAMLError:
        expected = SourceError
    if expected is SourceError:
        with pytest.raises(SourceError):
            signatories.load_yaml(text, path)
    else:
        assert signatories.load_yaml(text, path) == expected


def test_a_date_the_calendar_lacks_is_a_source_error_with_the_file(tmp_path: Path) -> None:
    from pipeline.source import signatories

    with pytest.raises(SourceError, match="not valid YAML") as caught:
        signatories.load_yaml("date: 2001-02-30", tmp_path / "letter.md")
    assert caught.value.path == tmp_path / "letter.md"


def test_project_files_that_link_outside_are_refused(
    cfg: config.Config, run: Callable[..., Result], tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "letter.po").write_text("secret", encoding="utf-8")
    target = cfg.catalog_path("de")
    target.parent.mkdir(parents=True)
    target.symlink_to(outside / "letter.po")
    result = run("status", "--lang", "de")
    assert result.exit_code == 1 and "leads outside the project folder" in result.stderr
    assert "secret" not in result.output
    shutil.rmtree(cfg.root / "locale" / "de")
    (cfg.root / "output").symlink_to(outside)
    result = run("render", "--lang", "en")
    assert result.exit_code == 1 and "output: leads outside the project folder" in result.stderr
    assert list(outside.iterdir()) == [outside / "letter.po"]


def test_an_oversized_glossary_is_refused(cfg: config.Config, catalog_for: Callable[[str], Path]) -> None:
    catalog_for("de")
    rows = "".join(f"term{i},yes,,Begriff{i}\n" for i in range(6000))
    cfg.glossary_path.parent.mkdir(exist_ok=True)
    cfg.glossary_path.write_text("term,translate,note,de\n" + rows, encoding="utf-8")
    with pytest.raises(PipelineError, match="too large: at most 5000 rows"):
        checks.check(cfg, ["de"])


def test_render_all_still_reports_every_language_when_the_output_is_read_only(
    cfg: config.Config, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    for code in ("de", "fr"):
        copy_shipped(cfg, code)
    text = (cfg.root / "pyproject.toml").read_text(encoding="utf-8")
    (cfg.root / "pyproject.toml").write_text(
        text.replace("[tool.pipeline]\n", '[tool.pipeline]\nlanguages = ["de", "fr"]\n'), encoding="utf-8"
    )
    import errno

    from pipeline import files

    def refuse(path: Path, data: bytes) -> Path:
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(files, "_temporary", refuse)
    result = run("render", "--all", "--format", "html", "--jobs", "1")
    assert result.exit_code == 1
    assert re.search(r"^de +failed", result.stdout, re.M) and re.search(r"^fr +failed", result.stdout, re.M)
    assert "Error: the download page was not written: output/" in result.stderr
    assert result.stderr.rstrip().endswith("Error: 3 language(s) failed: de en fr")


def test_update_of_a_catalog_with_many_footnotes_is_quick(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    path = catalog_for("de")
    _set(path, "Brussels", "Brüssel" + "[^1]" * 490)
    assert update.update(cfg, ["de"])  # reading and merging never lays out; check reports the entry


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_line_separators_in_a_catalog_are_refused_with_the_line(
    catalog_for: Callable[[str], Path], run: Callable[..., Result], char: str
) -> None:
    path = catalog_for("de")
    text = path.read_text(encoding="utf-8").replace(
        'msgid "Brussels"\nmsgstr ""', f'msgid "Brussels"\nmsgstr "Br{char}"'
    )
    path.write_text(text, encoding="utf-8")
    line = text.split(f'msgstr "Br{char}"')[0].count("\n") + 1
    result = run("check", "--lang", "de")
    assert result.exit_code == 1
    assert (
        f"Error: locale/de/LC_MESSAGES/letter.po:{line}: control character U+{ord(char):04X}" in result.stderr
    )
