"""``pipeline translate`` end to end: the command, the real client, the local DeepL server."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from click.testing import Result

from pipeline import config
from pipeline.catalogs import update
from pipeline.mt import plan as mt_plan

from .deepl_server import KEY, FakeDeepL
from .helpers import TERMS, write_glossary

HOW = "tag handling yes, glossary yes, formality prefer_more, billed yes"


def test_cli_dry_run(run: Callable[..., Result], cfg: config.Config, server: FakeDeepL) -> None:
    update.update(cfg, ["de", "fr"])
    n = mt_plan.plan(cfg, ["de"])[0].characters
    result = run("translate", "--lang", "de", "--lang", "fr", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"de: 48 segments, {n} characters; {HOW}\n"
        f"fr: 48 segments, {n} characters; {HOW}\n"
        f"total: 96 segments, {2 * n} characters (dry run: nothing sent)\n"
        "DeepL account: 500000 characters left this billing period\n"
    )
    assert server.state.requests["/v2/translate"] == 0


def test_cli_translate_then_nothing_left(
    run: Callable[..., Result], cfg: config.Config, server: FakeDeepL
) -> None:
    update.update(cfg, ["de"])
    n = mt_plan.plan(cfg, ["de"])[0].characters
    result = run("translate", "--lang", "de")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"locale/de/LC_MESSAGES/letter.po: 48 segments translated, {n} characters billed\n"
        f"total: {n} characters billed\n"
    )
    assert "translating" in result.stderr  # the progress bar, on stderr
    again = run("translate", "--lang", "de")
    assert (
        again.stdout == "locale/de/LC_MESSAGES/letter.po: nothing to translate\ntotal: 0 characters billed\n"
    )
    dry = run("translate", "--lang", "de", "--dry-run")
    assert dry.stdout == (
        "de: 0 segments, 0 characters\n"
        "total: 0 segments, 0 characters (dry run: nothing sent)\n"
        f"DeepL account: {500_000 - n} characters left this billing period\n"
    )


def test_cli_glossary_skips_are_said_once(
    run: Callable[..., Result], cfg: config.Config, server: FakeDeepL
) -> None:
    write_glossary(cfg, TERMS)
    update.update(cfg, ["de", "ga", "hr", "mt"])
    result = run("translate", "--lang", "de", "--lang", "ga", "--lang", "hr", "--lang", "mt")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("glossary: DeepL has none for ga, hr, mt; translated without it\n") == 1
    assert re.search(r"^glossary pipeline:reclaim-your-face:[0-9a-f]{16}: created$", result.stderr, re.M)


def test_cli_quota_refusal(run: Callable[..., Result], cfg: config.Config, server: FakeDeepL) -> None:
    update.update(cfg, ["de"])
    n = mt_plan.plan(cfg, ["de"])[0].characters
    server.character_count = server.character_limit - 100
    result = run("translate", "--lang", "de")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        f"Error: this run needs {n} characters, but the DeepL account has 100 left this billing period; "
        "nothing was sent (translate fewer languages with --lang)\n"
    )


def test_cli_quota_used_up_mid_run(run: Callable[..., Result], cfg: config.Config, server: FakeDeepL) -> None:
    update.update(cfg, ["de"])
    server.quota_after = 3000
    result = run("translate", "--lang", "de")
    assert result.exit_code == 1
    assert re.fullmatch(
        r"locale/de/LC_MESSAGES/letter\.po: (\d+) segments translated, (\d+) characters billed; "
        r"(\d+) left \((\d+) characters\)\ntotal: \2 characters billed\n",
        result.stdout,
    ), result.stdout
    assert re.search(
        r"^Error: the DeepL character quota of this billing period is used up \(HTTP 456\); "
        r"stopped with (\d+) segments left: de \1 \(\d+ characters\); "
        r"what was translated is saved: run the command again to carry on\n\Z",
        result.stderr,
        re.M,
    ), result.stderr


def test_cli_key_errors(
    run: Callable[..., Result], cfg: config.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    update.update(cfg, ["de"])
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    result = run("translate", "--lang", "de")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: DEEPL_AUTH_KEY is not set: export DEEPL_AUTH_KEY=<your DeepL API key> (Free keys end in :fx; "
        "the key is on your DeepL account page under API Keys)\n"
    )
    with FakeDeepL() as fake:
        monkeypatch.setenv("DEEPL_AUTH_KEY", "not-the-key")
        monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
        result = run("translate", "--lang", "de")
    assert result.exit_code == 1 and "not-the-key" not in result.output
    assert result.stderr == (
        "Error: DeepL rejected the key in DEEPL_AUTH_KEY (HTTP 403): check that it is the API key of an "
        "active DeepL API account\n"
    )


def test_cli_skipped_language_exits_1(
    run: Callable[..., Result], cfg: config.Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    update.update(cfg, ["de", "ga"])
    with FakeDeepL(targets=("DE",)) as fake:
        monkeypatch.setenv("DEEPL_AUTH_KEY", KEY)
        monkeypatch.setenv("DEEPL_SERVER_URL", fake.url)
        result = run("translate", "--lang", "de", "--lang", "ga")
    assert result.exit_code == 1
    assert "warning: ga: DeepL does not offer GA; skipped\n" in result.stderr
    assert result.stderr.endswith("Error: not translated: ga (DeepL does not offer them)\n")
    assert result.stdout.startswith("locale/de/LC_MESSAGES/letter.po: 48 segments translated")


def test_cli_needs_languages(run: Callable[..., Result], cfg: config.Config) -> None:
    result = run("translate")
    assert result.exit_code == 2
    assert "Error: say which languages: --lang de [--lang fr ...] or --all" in result.stderr
