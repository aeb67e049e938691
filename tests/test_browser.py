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
