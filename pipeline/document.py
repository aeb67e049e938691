"""The source letter: front matter, Markdown body and signatories, read into Segments."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from markdown_it.token import Token

from . import interface, markup
from .config import Config
from .errors import SourceError

_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)
FRONT_MATTER_KEYS = ("title", "place", "date", "slug", "signatories")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Segment:
    """One translatable unit: one block of the letter, or one string around it."""

    msgid: str
    comment: str  # what it is, for translators and for MT context ("paragraph", "footnote 2")
    references: tuple[tuple[str, int], ...] = ()
    context: str | None = None  # msgctxt
    brace_format: bool = False
    section: str = ""  # the heading this block stands under (MT context)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)


@dataclass(frozen=True)
class Organisation:
    name: str
    where: tuple[str, ...]  # territory codes and scope keys, in the letter's order


@dataclass(frozen=True)
class Individual:
    name: str
    role: str
    affiliation: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Signatories:
    scopes: dict[str, str]  # key -> English label
    organisations: tuple[Organisation, ...]
    individuals: tuple[Individual, ...]
    path: Path
    lines: dict[str, int]  # "scope:KEY" / "role:NAME" -> line, for references

    def territories(self) -> set[str]:
        codes = {w for o in self.organisations for w in o.where if w not in self.scopes}
        return codes | {i.country for i in self.individuals if i.country}


@dataclass(frozen=True)
class Letter:
    """The parsed source: metadata, the block tokens of the body, and signatories."""

    path: Path
    title: str
    place: str
    date: dt.date
    slug: str
    tokens: list[Token] = field(repr=False)
    env: dict[str, Any] = field(repr=False)
    body_offset: int  # lines before the body (front matter), for references
    signatories: Signatories
    lines: dict[str, int]  # front matter key -> line


def _yaml_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None)
    return mark.line + 1 if mark is not None else None


def _front_matter(config: Config) -> dict[str, Any]:
    """The front matter alone, cheaply (for fingerprints and paths; no validation)."""
    try:
        text = config.source_path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except FileNotFoundError as exc:
        raise SourceError("source letter not found", config.source_path) from exc
    match = _FRONT_MATTER.match(text)
    meta = yaml.safe_load(match.group(1)) if match else None
    return meta if isinstance(meta, dict) else {}


def signatories_path(config: Config) -> Path:
    name = _front_matter(config).get("signatories")
    return (config.source_path.parent / name) if isinstance(name, str) else config.root / config.signatories


def slug(config: Config) -> str:
    value = _front_matter(config).get("slug")
    return value if isinstance(value, str) and _SLUG.match(value) else read_letter(config).slug


def read_letter(config: Config) -> Letter:
    path = config.source_path
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except FileNotFoundError as exc:
        raise SourceError("source letter not found", path) from exc
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8: {exc.reason}", path) from exc
    match = _FRONT_MATTER.match(text)
    if not match:
        raise SourceError("missing front matter: the file must start with a '---' block", path, 1)
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        line = _yaml_line(exc)
        raise SourceError(f"front matter is not valid YAML: {exc}", path, line + 1 if line else 1) from exc
    if not isinstance(meta, dict):
        raise SourceError("front matter must be a mapping", path, 2)
    unknown = sorted(set(meta) - set(FRONT_MATTER_KEYS))
    if unknown:
        raise SourceError(
            f"unknown front matter key {unknown[0]!r}; known: {', '.join(FRONT_MATTER_KEYS)}", path, 2
        )
    for key in ("title", "place", "slug"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise SourceError(f"front matter needs {key}: a non-empty text", path, 2)
    if not isinstance(meta.get("date"), dt.date):
        raise SourceError("front matter needs date: an ISO date such as 2022-05-10", path, 2)
    if not _SLUG.match(meta["slug"]):
        raise SourceError("slug must be lower-case letters, digits and hyphens", path, 2)
    sig_name = meta.get("signatories")
    sig_path = (path.parent / sig_name) if isinstance(sig_name, str) else config.root / config.signatories
    body_offset = match.group(0).count("\n")
    body = text[match.end() :]
    env: dict[str, Any] = {}
    tokens = markup.parser().parse(body, env)
    _check_no_raw_html(tokens, path, body_offset)
    return Letter(
        path=path,
        title=markup.normalise(meta["title"]),
        place=markup.normalise(meta["place"]),
        date=meta["date"],
        slug=meta["slug"],
        tokens=tokens,
        env=env,
        body_offset=body_offset,
        signatories=read_signatories(sig_path),
        lines=_key_lines(match.group(1), first_line=2),
    )


def _check_no_raw_html(tokens: list[Token], path: Path, offset: int) -> None:
    for tok in tokens:
        if tok.type == "inline" and markup.has_raw_html(tok.content):
            line = offset + tok.map[0] + 1 if tok.map else None
            raise SourceError("raw HTML in the source; write Markdown instead (footnotes: [^1])", path, line)


def read_signatories(path: Path) -> Signatories:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise SourceError("signatories file not found", path) from exc
    except yaml.YAMLError as exc:
        raise SourceError(f"not valid YAML: {exc}", path, _yaml_line(exc)) from exc
    if not isinstance(data, dict):
        raise SourceError("must be a mapping with scopes, organisations and individuals", path)
    unknown = sorted(set(data) - {"scopes", "organisations", "individuals"})
    if unknown:
        raise SourceError(f"unknown key {unknown[0]!r}", path)
    scopes = data.get("scopes") or {}
    if not isinstance(scopes, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in scopes.items()
    ):
        raise SourceError("scopes must map a key to its English label", path)
    territories = Locale.parse("en_GB").territories

    def territory(value: Any, who: str) -> str:
        if not isinstance(value, str):
            # YAML 1.1 reads NO (Norway) as false and 419 as a number.
            raise SourceError(f'{who}: {value!r} is not a code; quote it, e.g. "NO" or "419"', path)
        if value not in territories:
            raise SourceError(f"{who}: {value!r} is neither a scope nor a CLDR territory code", path)
        return value

    orgs = []
    for i, item in enumerate(data.get("organisations") or [], 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise SourceError(f"organisation {i} needs a name", path)
        where = item.get("where") or []
        if not isinstance(where, list):
            raise SourceError(f"{item['name']}: where must be a list", path)
        checked = tuple(w if w in scopes else territory(w, item["name"]) for w in where)
        orgs.append(Organisation(item["name"], checked))
    people = []
    for i, item in enumerate(data.get("individuals") or [], 1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise SourceError(f"individual {i} needs a name", path)
        if not isinstance(item.get("role"), str):
            raise SourceError(f"{item['name']}: role must be a text", path)
        country = item.get("country")
        people.append(
            Individual(
                item["name"],
                item["role"],
                item.get("affiliation"),
                territory(country, item["name"]) if country is not None else None,
            )
        )
    return Signatories(dict(scopes), tuple(orgs), tuple(people), path, _signatory_lines(path, data))


def _key_lines(text: str, first_line: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), first_line):
        key = line.split(":", 1)[0].strip()
        if key and key not in lines and not line.startswith((" ", "#")):
            lines[key] = number
    return lines


def _signatory_lines(path: Path, data: dict[str, Any]) -> dict[str, int]:
    """Where each scope and role is written, for #: references (the YAML has no line API)."""
    text = path.read_text(encoding="utf-8-sig").splitlines()
    lines: dict[str, int] = {}
    for number, line in enumerate(text, 1):
        stripped = line.strip()
        for key in data.get("scopes") or {}:
            if stripped.startswith(f"{key}:"):
                lines.setdefault(f"scope:{key}", number)
        if stripped.startswith("role:"):
            names = [ln.strip() for ln in text[: number - 1] if "name:" in ln]
            if names:
                name = yaml.safe_load(names[-1].lstrip("- "))["name"]
                lines.setdefault(f"role:{name}", number)
    return lines


# -- blocks -----------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """An inline token of the body and what kind of block holds it."""

    token: Token
    kind: str
    line: int  # 1-based, in the source file
    section: str


def blocks(letter: Letter) -> Iterator[Block]:
    """Every translatable block of the body, in document order."""
    stack: list[str] = []
    section = ""
    for tok in letter.tokens:
        if tok.nesting == 1:
            if tok.type == "footnote_open":
                stack.append(f"footnote {tok.meta['label']}")
            else:
                stack.append(tok.type.removesuffix("_open"))
        elif tok.nesting == -1:
            stack.pop()
        elif tok.type == "inline" and tok.children:
            kind = _kind(stack)
            line = letter.body_offset + (tok.map[0] if tok.map else 0) + 1
            yield Block(tok, kind, line, "" if kind.startswith("footnote") else section)
            if kind == "heading":
                section = markup.to_markdown(tok.children)


def _kind(stack: list[str]) -> str:
    for name in reversed(stack):
        if name.startswith("footnote "):
            return name
    names = {
        "heading": "heading",
        "list_item": "list item",
        "th": "table cell",
        "td": "table cell",
        "blockquote": "quotation",
    }
    for name in reversed(stack):
        if name in names:
            return names[name]
    return "paragraph"


def segments(letter: Letter, root: Path) -> list[Segment]:
    """The letter as translatable Segments, in document order; duplicates merged."""
    rel = _relative(letter.path, root)
    found: list[Segment] = [
        Segment(letter.title, "title of the letter (document title)", ((rel, letter.lines["title"]),)),
        Segment(letter.place, "place in the dateline (a city)", ((rel, letter.lines["place"]),)),
    ]
    for block in blocks(letter):
        found.append(
            Segment(
                markup.to_markdown(block.token.children or []),
                block.kind,
                ((rel, block.line),),
                section=block.section,
            )
        )
    sig = letter.signatories
    sig_rel = _relative(sig.path, root)
    used = {w for o in sig.organisations for w in o.where}
    for key, label in sig.scopes.items():
        if key in used:
            ref = ((sig_rel, sig.lines.get(f"scope:{key}", 1)),)
            found.append(Segment(label, "signatory scope (after an organisation's name)", ref))
    for person in sig.individuals:
        ref = ((sig_rel, sig.lines.get(f"role:{person.name}", 1)),)
        found.append(Segment(person.role, "signatory role (of a person)", ref))
    for ui in interface.STRINGS.values():
        found.append(Segment(ui.msgid, ui.comment, (), interface.CONTEXT, ui.brace_format))
    return _merge_duplicates(found)


def _merge_duplicates(found: list[Segment]) -> list[Segment]:
    merged: dict[tuple[str | None, str], Segment] = {}
    for seg in found:
        if seg.key in merged:
            first = merged[seg.key]
            refs = first.references + tuple(r for r in seg.references if r not in first.references)
            merged[seg.key] = Segment(
                first.msgid, first.comment, refs, first.context, first.brace_format, first.section
            )
        else:
            merged[seg.key] = seg
    return list(merged.values())


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
