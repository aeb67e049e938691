"""The command line: help for every command, usage errors, status, configuration errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from pipeline import config
from pipeline.cli import main


def test_every_command_has_a_summary_and_an_example() -> None:
    assert len(main.commands) >= 5
    for name, command in main.commands.items():
        assert command.help, name
        assert "Example: pipeline " + name in command.help, name
        assert command.get_short_help_str(), name


def test_help_and_status_do_not_import_weasyprint_or_deepl(cfg: config.Config) -> None:
    code = (
        "import sys; from pipeline.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit: pass\n"
        "try:\n    main(['status'])\nexcept SystemExit: pass\n"
        "assert 'weasyprint' not in sys.modules and 'deepl' not in sys.modules, 'heavy import'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=cfg.root, check=True, capture_output=True)


@pytest.mark.parametrize("command", ["render", "translate"])
def test_render_and_translate_need_languages(
    run: Callable[..., Result], cfg: config.Config, command: str
) -> None:
    result = run(command)
    assert result.exit_code == 2
    assert "Error: say which languages: --lang de [--lang fr ...] or --all" in result.stderr


def test_unknown_language_lists_the_valid_ones(run: Callable[..., Result], cfg: config.Config) -> None:
    result = run("update", "--lang", "xx")
    assert result.exit_code == 2
    valid = "bg es cs da de et el fr ga hr it lv lt hu mt nl pl pt ro sk sl fi sv"
    assert result.stderr.endswith(f"Error: unknown language 'xx'; valid: {valid}\n")


def test_extract_update_status_flow(run: Callable[..., Result], cfg: config.Config) -> None:
    assert run("extract").stdout == "locale/letter.pot: 48 entries, unchanged\n"
    assert (
        run("update", "--lang", "de").stdout == "locale/de/LC_MESSAGES/letter.po: 0 kept, 48 new; written\n"
    )
    assert run("update", "--lang", "de").stdout == "locale/de/LC_MESSAGES/letter.po: 48 kept; unchanged\n"
    result = run("status", "--lang", "de")
    assert result.stdout == (
        "lang  reviewed approved unreviewed stale untransl. % words  PDF\n"
        "de           0        0          0     0        48      0%  out of date\n"
    )
    data = json.loads(run("status", "--lang", "de", "--json").stdout)
    assert data["schema"] == 1 and data["command"] == "status"
    [document] = data["documents"]
    [row] = document["languages"]
    assert row["untranslated"] == 48 and row["pdf_up_to_date"] is False and row["catalog_up_to_date"] is True
    assert row["catalog"] == "locale/de/LC_MESSAGES/letter.po" and row["error"] is None


def test_errors_name_the_file(run: Callable[..., Result], cfg: config.Config) -> None:
    (cfg.root / "pyproject.toml").write_text('[tool.pipeline]\nlangauges = ["de"]\n', encoding="utf-8")
    result = run("status")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: pyproject.toml: [tool.pipeline] unknown key 'langauges'; known keys:"
    )


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('languages = ["de", "xx"]', "unknown language 'xx' in languages; valid: bg es"),
        ('formality = "very"', "formality must be one of default, more, less, prefer_more, prefer_less"),
        ('pdf-variant = "pdf/x-4"', "pdf-variant must be one of none, pdf/ua-1"),
        ("jobs = -1", "jobs must be a whole number >= 0"),
        ('source = ""', "source must be a non-empty string"),
    ],
)
def test_bad_configuration_values(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.pipeline]\n{toml}\n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")) as err:
        config.load(tmp_path)
    assert err.value.path == tmp_path / "pyproject.toml"


def test_configured_languages_are_in_protocol_order(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\nlanguages = ["sv", "bg", "de"]\n', encoding="utf-8"
    )
    assert config.load(tmp_path).languages == ("bg", "de", "sv")
