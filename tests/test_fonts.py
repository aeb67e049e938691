"""Fonts the project chooses, never the machine: the faces, the fallback chain, fontconfig
kept to them, and instances that are the same bytes on every machine."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipeline import config
from pipeline.errors import RenderError
from pipeline.typeset import fontconfig, fonts
from pipeline.typeset.pdf import write_pdf

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>
{faces}
html {{ font-family: {stack}; }} pre, code {{ font-family: {code}; font-variant-ligatures: none; }}
</style></head><body>
<p>Text with → ≤ ∲ ≧ ✓ ★, ಫ and ആ, <b>bold</b>, <i>italic</i>, Ελλάδα, Москва.</p>
<pre>for (i = 0; i &lt;= n; i++) → x; // Grüße ∲ ≧</pre>
<p>{extra}</p>
</body></html>"""


def _page(extra: str = "") -> str:
    text = "→ ≤ ∲ ≧ ✓ ★ ಫ ആ bold italic Ελλάδα Москва " + extra
    faces = fonts.needed(text, "for (i = 0; i <= n; i++) → x; // Grüße ∲ ≧")
    rules = "\n".join(
        f'@font-face {{ font-family: "{f.family}"; src: url("{f.path.as_uri()}"); font-weight: {f.weight}; '
        f"font-style: {'italic' if f.italic else 'normal'}; }}"
        for f in faces
    )
    stack = ", ".join(f'"{n}"' for n in fonts.stack(fonts.SERIF))
    code = ", ".join(f'"{n}"' for n in fonts.stack(fonts.MONO))
    return PAGE.format(faces=rules, stack=stack, code=code, extra=extra)


def test_fontconfig_sees_only_the_instanced_faces() -> None:
    fontconfig.isolate()
    seen = fontconfig.seen()
    assert seen and all(Path(f).resolve().is_relative_to(fonts.ttf_dir().resolve()) for f in seen)
    fontconfig.assert_isolated()


def test_code_and_symbols_are_drawn_by_the_projects_fonts_only(tmp_path: Path) -> None:
    data, _ = write_pdf(_page(), config.Config(root=tmp_path), variant="none")
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(data)
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    names = {line.split()[0].split("+", 1)[1] for line in listing.splitlines()[2:]}
    assert {"Letter-Serif", "Letter-Mono", "Letter-Math", "Letter-Kannada", "Letter-Malayalam"} <= names
    assert all(n.startswith("Letter-") for n in names), names


def test_a_character_no_face_has_fails_the_render_not_a_box(tmp_path: Path) -> None:
    assert fonts.missing("Ա漢") == ["Ա", "漢"]
    with pytest.raises(RenderError, match=r"\.notdef glyph"):
        write_pdf(_page("Armenian Ա"), config.Config(root=tmp_path), variant="none")


def test_the_letter_declares_the_text_face_alone() -> None:
    text = "Sehr geehrte Abgeordnete – „Überwachung“ … 70 000 € § 5 (1)"
    assert {f.family for f in fonts.needed(text, "")} == {fonts.SERIF}
    assert {f.family for f in fonts.needed(text + " → ∲", "x")} == {fonts.SERIF, fonts.MONO, "Letter Math"}


def test_an_instance_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    spec = fonts.INSTANCED[0]
    source = fonts._variable_source(spec, False)
    again = tmp_path / "again.ttf"
    fonts.instance(source, {"wght": 700, **spec.axes}, again)  # now, against the one cached earlier
    assert again.read_bytes() == (fonts.ttf_dir() / "NotoSerif-Bold.ttf").read_bytes()


def test_a_missing_fallback_file_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts, "DEBIAN_DIR", tmp_path)
    fonts.fallback_faces.cache_clear()
    try:
        with pytest.raises(RenderError, match="fonts-noto-core"):
            fonts.fallback_faces()
    finally:
        monkeypatch.undo()
        fonts.fallback_faces.cache_clear()


def test_a_kept_cmap_is_the_faces_own_and_a_damaged_one_is_read_again() -> None:
    import marshal

    from fontTools.ttLib import TTFont

    for face in (fonts.faces()[0], fonts.fallback_faces()[0]):
        own = frozenset(TTFont(face.path, lazy=True).getBestCmap())
        fonts._cmap.cache_clear()
        assert fonts._cmap(face.path) == own
        [kept] = (fonts.cache_dir() / "cmap").glob(f"{face.path.stem}-*.marshal")
        for damaged in (b"\x00 not a cmap", marshal.dumps(("65", 66)), marshal.dumps([65, 66])):
            kept.write_bytes(damaged)
            fonts._cmap.cache_clear()
            assert fonts._cmap(face.path) == own  # from the face, and kept again whole
            assert marshal.loads(kept.read_bytes()) == tuple(sorted(own))
    fonts._cmap.cache_clear()
