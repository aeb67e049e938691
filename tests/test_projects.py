"""Several documents in one project: configuration, --doc, per-document state, one download page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from pipeline import config
from pipeline.errors import ConfigError

from .conftest import PROJECT


def test_the_single_document_form_keeps_working(project: Path) -> None:
    [only] = config.load_documents(project)
    assert only == config.load(project) and only.domain == "letter" and only.document_name == "letter"
    assert only.documents == ("letter",)


def test_documents_each_get_their_source_domain_and_catalogs(two: list[config.Config]) -> None:
    letter, followup = two
    assert (letter.name, letter.domain, followup.name, followup.domain) == (
        "letter",
        "letter",
        "followup",
        "followup",
    )
    assert followup.catalog_path("de").as_posix().endswith("locale/de/LC_MESSAGES/followup.po")
    assert followup.languages == ("de", "el") and followup.documents == ("letter", "followup")
    assert config.load(letter.root, "followup") == followup


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('source = "source/letter.md"\n', "source is a document's"),
        ("", "two documents have the name 'letter'"),
    ],
)
def test_a_wrong_documents_list_is_refused_at_the_file(project: Path, extra: str, message: str) -> None:
    text = PROJECT.replace("languages =", f"{extra}languages =")
    if not extra:
        text = text.replace('name = "followup"', 'name = "letter"')
    (project / "pyproject.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        config.load_documents(project)
    assert caught.value.path == project / "pyproject.toml"


def test_every_command_takes_doc(two: list[config.Config], run: Callable[..., Result]) -> None:
    first = run("extract", "--doc", "followup")
    assert first.exit_code == 0 and first.stdout.startswith("locale/followup.pot:")
    assert "letter.pot" not in first.stdout
    both = run("extract")
    assert "locale/letter.pot" in both.stdout and "locale/followup.pot" in both.stdout
    made = run("update", "--doc", "followup")
    assert made.exit_code == 0, made.output
    assert "locale/de/LC_MESSAGES/followup.po" in made.stdout and "letter.po" not in made.stdout
    unknown = run("status", "--doc", "briefing")
    assert (
        unknown.exit_code == 2 and "unknown document 'briefing'; documents: letter followup" in unknown.stderr
    )


def test_status_and_check_json_report_per_document(
    two: list[config.Config], run: Callable[..., Result]
) -> None:
    run("extract")
    run("update")
    for command in ("status", "check"):
        result = run(command, "--json")
        data = json.loads(result.stdout)
        assert [d["document"] for d in data["documents"]] == ["letter", "followup"], command
        assert [d["source"] for d in data["documents"]] == ["source/letter.md", "source/followup.md"]
        for doc in data["documents"]:
            assert [lang["language"] for lang in doc["languages"]] == ["de", "el"]
    only = json.loads(run("check", "--json", "--doc", "followup").stdout)
    assert [d["domain"] for d in only["documents"]] == ["followup"]


def test_rendering_one_document_leaves_the_other_up_to_date_and_one_page_lists_both(
    two: list[config.Config], run: Callable[..., Result]
) -> None:
    run("extract")
    run("update")
    assert run("render", "--all").exit_code == 0
    again = run("render", "--doc", "letter", "--lang", "de", "--force")
    assert again.exit_code == 0, again.output
    status = json.loads(run("status", "--json").stdout)
    for doc in status["documents"]:
        assert all(lang["pdf_up_to_date"] for lang in doc["languages"]), doc["document"]
    out = two[0].root / "output"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count('<section class="document"') == 2
    for name, slug in (
        ("letter", "reclaim-your-face-open-letter"),
        ("followup", "reclaim-your-face-follow-up"),
    ):
        assert f'id="{name}-de"' in page and f'href="de/{slug}-de.pdf"' in page
    sums = dict(reversed(line.split("  ")) for line in (out / "SHA256SUMS").read_text().splitlines())
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and ".build" not in p.parts}
    assert set(sums) == files - {"SHA256SUMS"}
    assert re.search(r"de/reclaim-your-face-follow-up-de\.html", " ".join(sums))


def test_two_documents_with_one_slug_are_refused(
    two: list[config.Config], run: Callable[..., Result]
) -> None:
    source = two[1].source_path
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "reclaim-your-face-follow-up", "reclaim-your-face-open-letter"
        ),
        encoding="utf-8",
    )
    result = run("render", "--lang", "de")
    assert result.exit_code == 1 and "have the same slug 'reclaim-your-face-open-letter'" in result.stderr


def test_translation_finder_discovers_one_component_per_document(
    two: list[config.Config], run: Callable[..., Result]
) -> None:
    from translation_finder import discover

    run("extract")
    run("update")
    found = {(c["filemask"], c.get("template") or c.get("new_base")) for c in discover(str(two[0].root))}
    assert ("locale/*/LC_MESSAGES/letter.po", "locale/letter.pot") in found
    assert ("locale/*/LC_MESSAGES/followup.po", "locale/followup.pot") in found
