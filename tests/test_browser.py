"""The download page and a web page in a real browser (Debian's headless Chromium)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .test_publish import small  # noqa: F401  (fixture)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")


def test_download_page_in_chromium(small: object, run: Callable[..., Result]) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    assert run("render", "--all").exit_code == 0
    out = Path.cwd() / "output"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        page = browser.new_page(viewport={"width": 375, "height": 812})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        failed: list[str] = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        for name in (
            "index.html",
            "de/reclaim-your-face-open-letter-de.html",
            "el/reclaim-your-face-open-letter-el.html",
        ):
            page.goto((out / name).as_uri())
            assert problems == [] and failed == [], name
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (name, width)
            overflowing = page.evaluate(
                "[...document.querySelectorAll('body *')]"
                ".filter(e => e.getBoundingClientRect().right > 375.5).length"
            )
            assert overflowing == 0, name
        page.goto((out / "index.html").as_uri())
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        browser.close()
    assert len(hrefs) >= 9
    for href in hrefs:
        assert href.startswith("file://")
        target = Path(href.removeprefix("file://").split("#")[0])
        assert target.is_file(), href


def test_no_script_of_a_hostile_catalog_or_source_runs(
    cfg: object, catalog_for: object, run: Callable[..., Result]
) -> None:
    from pipeline import config
    from pipeline.catalogs import po

    from .helpers import edit_source

    assert isinstance(cfg, config.Config)
    label = 'a"/onfocus="alert(1)"/autofocus="'
    edit_source(cfg, "the world.[^1]", f"the world.[^{label}]")
    edit_source(cfg, "[^1]: ", f"[^{label}]: ")
    sig = cfg.root / "source" / "signatories.yaml"
    sig.write_text(
        sig.read_text(encoding="utf-8").replace('"Access Now"', '"<img src=x onerror=alert(1)>"'),
        encoding="utf-8",
    )
    toml = cfg.root / "pyproject.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'organisation = "Reclaim Your Face"', 'organisation = "</footer><script>alert(1)</script>"'
        ),
        encoding="utf-8",
    )
    path = catalog_for("de")  # type: ignore[operator]
    catalog = po.read(path, "de")
    hostile = {
        "Brussels": "Brüssel \"'&amp; a < b > c",
        "Notes": "Anmerkungen \"onmouseover='alert(1)'",
    }
    for entry in catalog.entries():
        if entry.msgid in hostile:
            entry.msgstr = hostile[entry.msgid]
        elif entry.msgid.startswith("These harms"):
            target = 'https://e.org/?q="onmouseover=alert(1)//'
            entry.msgstr = (
                f"Diese [Uiguren](<{target}>), [Russland](#), [Serbien](#), [Hongkong](#).[^{label}]"
            )
    path.write_bytes(po.serialise(catalog.po, path))
    result = run("render", "--lang", "de", "--format", "html")
    assert result.exit_code == 0, result.output
    page_path = cfg.root / "output" / "de" / "reclaim-your-face-open-letter-de.html"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 375, "height": 812})
        events: list[str] = []
        page.on("dialog", lambda d: (events.append(f"dialog {d.message}"), d.dismiss()))
        page.on(
            "console", lambda m: events.append(f"console {m.type}: {m.text}") if m.type == "error" else None
        )
        page.on("pageerror", lambda e: events.append(f"error {e}"))
        page.goto(page_path.as_uri())
        page.mouse.move(100, 100)
        page.keyboard.press("Tab")
        page.wait_for_timeout(300)
        scripts = page.evaluate("document.scripts.length")
        handlers = page.evaluate(
            "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))"
            ".filter(n => n.startsWith('on')).length"
        )
        shown = page.inner_text("body")
        browser.close()
    assert events == [] and scripts == 0 and handlers == 0
    assert "<img src=x onerror=alert(1)>" in shown and "Brüssel \"'& a < b > c" in shown


def test_german_browser_settings_bring_deutsch_first_and_the_switcher_works(
    small: object,  # noqa: F811
    run: Callable[..., Result],
) -> None:
    from playwright.sync_api import sync_playwright

    assert run("render", "--all").exit_code == 0
    out = Path.cwd() / "output"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for locale, first in (("de-DE", "de"), ("en-GB", "en")):
            context = browser.new_context(viewport={"width": 375, "height": 812}, locale=locale)
            page = context.new_page()
            problems: list[str] = []
            page.on("console", lambda m, seen=problems: seen.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e, seen=problems: seen.append(str(e)))
            page.goto((out / "index.html").as_uri())
            order = page.eval_on_selector_all("li.language", "els => els.map(e => e.dataset.code)")
            assert order[0] == first and problems == [], (locale, order, problems)
            marked = page.eval_on_selector_all("li.language.yours", "els => els.map(e => e.dataset.code)")
            assert marked == ([] if first == "en" else ["de"])
            context.close()
        page = browser.new_page(viewport={"width": 375, "height": 812}, java_script_enabled=False)
        page.goto((out / "index.html").as_uri())  # without the script: English, then the EU's order
        order = page.eval_on_selector_all("li.language", "els => els.map(e => e.dataset.code)")
        assert order == ["en", "de", "el", "fr"]
        page.goto((out / "de" / "reclaim-your-face-open-letter-de.html").as_uri())
        alternates = page.eval_on_selector_all("link[rel=alternate]", "els => els.map(e => e.hreflang)")
        assert alternates == ["de", "el", "en-GB", "fr"]
        page.click("nav.languages summary")
        page.click("nav.languages a[hreflang=fr]")
        assert page.url.endswith("/fr/reclaim-your-face-open-letter-fr.html")
        assert page.eval_on_selector("html", "e => e.lang") == "fr"
        page.click("nav.languages a.all-languages")
        assert page.url.endswith("/output/index.html")
        browser.close()
