"""Fontconfig sees the project's fonts and no other: the machine's never reach a document.

WeasyPrint lays text out with Pango, which asks fontconfig for every character no declared
face has, and fontconfig would answer with whatever the machine has installed (DejaVu,
Liberation…): the same document would differ from machine to machine. So before WeasyPrint
is first imported, ``FONTCONFIG_FILE`` points at a configuration of our own with no
``<include>`` (none of ``/etc/fonts/conf.d``: no machine or user folders, no aliases, no
synthetic bold), one folder holding only the instanced faces, the generic families mapped
to ours, and our text face and fallback chain appended to every request. Forked workers
inherit it. A missing or broken file would make fontconfig fall back, with only a message
on stderr, to its built-in configuration and so to ``/usr/share/fonts``: ``assert_isolated``
checks what fontconfig really sees before the first render of a process.
"""

from __future__ import annotations

import os
from functools import cache
from html import escape as _escape
from pathlib import Path

from ..errors import RenderError
from ..files import write_if_changed
from . import fonts

_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by pipeline: no <include>, so no machine fonts, aliases or synthetic styles. -->
<fontconfig>
  <dir>{folder}</dir>
  <cachedir>{cachedir}</cachedir>
  <alias binding="same"><family>serif</family><prefer><family>Noto Serif</family></prefer></alias>
  <alias binding="same"><family>sans-serif</family><prefer><family>Noto Serif</family></prefer></alias>
  <alias binding="same"><family>monospace</family><prefer><family>JetBrains Mono</family></prefer></alias>
  <match target="pattern">
    <edit name="family" mode="append_last">
      <string>Noto Serif</string>{fallbacks}
    </edit>
  </match>
</fontconfig>
"""


def conf_path() -> Path:
    return fonts.cache_dir() / "fonts.conf"


def conf_text(folder: str, cachedir: str) -> str:
    """The configuration, for the faces in ``folder``."""
    fallbacks = "".join(f"\n      <string>{escape(family)}</string>" for family in fonts.FALLBACK_FAMILIES)
    return _CONF.format(folder=escape(folder), cachedir=escape(cachedir), fallbacks=fallbacks)


def escape(text: str) -> str:
    """XML text: & < > escaped, as xml.sax.saxutils does (which would import urllib, ssl and
    http.client into every command that asks whether a render is up to date)."""
    return _escape(text, quote=False)


def write_conf() -> Path:
    text = conf_text(str(fonts.ttf_dir()), str(fonts.cache_dir() / "fc-cache"))
    path = conf_path()
    write_if_changed(path, text.encode("utf-8"))
    return path


def isolate() -> None:
    """Point fontconfig at the project's configuration (building the faces it names first)."""
    fonts.faces()
    os.environ["FONTCONFIG_FILE"] = str(write_conf())
    for name in ("FONTCONFIG_PATH", "FONTCONFIG_SYSROOT"):
        os.environ.pop(name, None)


def seen() -> list[str]:
    """The font files a fresh fontconfig configuration holds (what WeasyPrint starts from)."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = ffi.gc(fontconfig.FcInitLoadConfigAndFonts(), fontconfig.FcConfigDestroy)
    found = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
    files = []
    name = ffi.new("FcChar8 **")
    for i in range(found.nfont if found != ffi.NULL else 0):
        if fontconfig.FcPatternGetString(found.fonts[i], b"file", 0, name) == fontconfig.FcResultMatch:
            files.append(ffi.string(name[0]).decode())
    return sorted(files)


@cache
def assert_isolated() -> None:
    """Refuse to render while fontconfig sees any file but the instanced faces."""
    own = fonts.ttf_dir().resolve()
    stray = [f for f in seen() if not Path(f).resolve().is_relative_to(own)]
    if stray:
        raise RenderError(
            f"fontconfig sees {len(stray)} fonts of the machine (e.g. {stray[0]}): "
            f"{conf_path()} was not used; the document would depend on this machine"
        )
