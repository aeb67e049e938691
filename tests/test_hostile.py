"""Translations are untrusted: hostile catalogs are refused, or rendered harmlessly."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline import config, render_language
from pipeline.errors import CatalogError, RenderError
from pipeline.typeset import pdf

from .helpers import set_translations

SECRET = "TOP-SECRET-7f3a9c"
TARGET = "Dear honourable Members of the European Parliament,"


class Server:
    def __init__(self) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(SECRET.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.httpd.shutdown()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def _hostile(cfg: config.Config, catalog_for: Callable[[str], Path], text: str) -> Path:
    path = catalog_for("de")
    set_translations(path, lambda e: (text, False) if e.msgid == TARGET else None)
    return path


def _pdf_holds_nothing_of(pdf: Path) -> None:
    reader = PdfReader(pdf)
    text = "".join(p.extract_text() for p in reader.pages)
    assert SECRET not in text
    assert not reader.attachments
    assert SECRET.encode() not in pdf.read_bytes()


CASES = {
    "img-file": '<img src="file://{secret}">',
    "link-attachment": '<link rel="attachment" href="file://{secret}">',
    "iframe": '<iframe src="file://{secret}"></iframe>',
    "object": '<object data="file://{secret}"></object>',
    "script": "<script>document.write('{secret}')</script>",
    "style-attribute": "<span style=\"background: url('file://{secret}')\">Sehr geehrte</span>",
    "style-element": "<style>body {{ background: url('{server}/bg.png') }}</style>Sehr geehrte",
    "img-http": '<img src="{server}/x.png">',
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_raw_html_is_refused_naming_the_entry(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: Server, secret: Path, case: str
) -> None:
    path = _hostile(cfg, catalog_for, CASES[case].format(secret=secret, server=server.url))
    for fmt in ("pdf", "html"):
        with pytest.raises(RenderError, match="raw HTML in the translation") as err:
            render_language(cfg, "de", (fmt,), force=True)
        assert err.value.path == path and err.value.line
        assert TARGET[:30] in str(err.value)
    assert server.requests == []
    assert not (cfg.root / "output" / "de").exists()


@pytest.mark.parametrize(
    "target", ["javascript:alert(1)", "file://{secret}", "data:text/html,x", "ftp://127.0.0.1/x"]
)
def test_link_targets_other_than_http_mailto_anchor_are_refused(
    cfg: config.Config, catalog_for: Callable[[str], Path], secret: Path, target: str
) -> None:
    _hostile(cfg, catalog_for, f"Sehr geehrte [Mitglieder]({target.format(secret=secret)})")
    with pytest.raises(RenderError, match="is not allowed"):
        render_language(cfg, "de")


def test_images_from_a_local_server_are_refused_and_never_fetched(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: Server
) -> None:
    _hostile(cfg, catalog_for, f"Sehr geehrte ![x]({server.url}/x.png)")
    with pytest.raises(RenderError, match="image in the translation"):
        render_language(cfg, "de")
    assert server.requests == []


def test_a_link_to_a_local_server_is_only_a_link(
    cfg: config.Config, catalog_for: Callable[[str], Path], server: Server
) -> None:
    path = catalog_for("de")
    # The source's link may point to a page in the translator's language: here, a local server.
    set_translations(
        path,
        lambda e: (
            (f"[Uiguren](#), [in Russland]({server.url}/page), [Serbien](#), [Hongkong](#).[^1]", False)
            if e.msgid.startswith("These harms")
            else None
        ),
    )
    result = render_language(cfg, "de", ("pdf", "html"))
    _pdf_holds_nothing_of(result.paths[0])
    assert server.requests == []


def test_a_megabyte_translation_is_refused_before_layout(
    cfg: config.Config, catalog_for: Callable[[str], Path]
) -> None:
    _hostile(cfg, catalog_for, "Sehr geehrte " + "x" * 1_000_000)
    with pytest.raises(RenderError, match="far longer than any translation could be"):
        render_language(cfg, "de")


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b"])
def test_control_characters_are_refused_with_the_line(
    cfg: config.Config, catalog_for: Callable[[str], Path], char: str
) -> None:
    path = catalog_for("de")
    text = path.read_text(encoding="utf-8").replace(
        'msgid "Brussels"\nmsgstr ""', f'msgid "Brussels"\nmsgstr "Br{char}"'
    )
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f'msgstr "Br{char}"') + 1
    with pytest.raises(CatalogError, match=f"control character U\\+{ord(char):04X}") as err:
        render_language(cfg, "de")
    assert err.value.line == line


def test_the_fetcher_allows_only_the_projects_own_files(
    cfg: config.Config, server: Server, secret: Path
) -> None:
    from weasyprint.urls import FatalURLFetchingError

    from pipeline.typeset import fonts

    fetcher = pdf.make_fetcher(pdf.allowed_roots(cfg))
    face = fonts.faces()[0].path
    response = fetcher.fetch(face.as_uri())
    assert response.read(4) in (b"\x00\x01\x00\x00", b"true")
    response.close()
    for url in (
        secret.as_uri(),
        f"{server.url}/x.png",
        "file:///etc/passwd",
        face.as_uri() + "/../../../../etc/passwd",
    ):
        with pytest.raises(FatalURLFetchingError, match="blocked resource"):
            fetcher.fetch(url)
    assert server.requests == []
