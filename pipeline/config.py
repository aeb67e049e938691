"""Configuration: ``[tool.pipeline]`` of pyproject.toml, read into one frozen dataclass."""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import languages
from .errors import ConfigError, FileError
from .files import read_text

MAX_CONFIG_BYTES = 1024 * 1024

FORMALITIES = ("default", "more", "less", "prefer_more", "prefer_less")
MODEL_TYPES = ("quality_optimized", "latency_optimized", "prefer_quality_optimized")
PDF_VARIANTS = ("none", "pdf/ua-1", "pdf/ua-2", "pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-3u", "pdf/a-4u")


@dataclass(frozen=True)
class Config:
    """Every setting, with its default. Paths are relative to ``root``."""

    root: Path = field(default_factory=Path.cwd)
    source: str = "source/letter.md"
    # Used when the letter's front matter names no signatories file.
    signatories: str = "source/signatories.yaml"
    domain: str = "letter"
    locale_dir: str = "locale"
    output_dir: str = "output"
    glossary: str = "locale/glossary.csv"
    languages: tuple[str, ...] = languages.TARGET_CODES
    organisation: str = "Reclaim Your Face"
    translation_team: str = "Reclaim Your Face translation team"
    bugs_address: str = ""  # where translators report source problems (Report-Msgid-Bugs-To)
    formality: str = "prefer_more"
    formality_per_language: dict[str, str] = field(default_factory=dict)
    model_type: str = "quality_optimized"  # DeepL's model_type; DeepL's own default is latency_optimized
    pdf_variant: str = "pdf/ua-1"
    jobs: int = 0  # 0: one worker per core
    # check warns when more than this share of a language's entries is approved unchanged
    mass_approval_share: float = 0.5
    final_refuses_approved: bool = False  # render --final: approval unchanged is not review
    # Translation memory: the folder of imported TMX files and PO compendia, and the least
    # similarity (0 to 1) at which a unit is offered for a different source text.
    memory_dir: str = "locale/memory"
    memory_similarity: float = 0.75
    # Names the project's one DeepL glossary (default: from the organisation's name).
    project_name: str = ""
    # The document's name in [[tool.pipeline.documents]]; "" in the single-document form.
    name: str = ""
    documents: tuple[str, ...] = ()  # every document's name, in the configuration's order

    @property
    def glossary_prefix(self) -> str:
        """What the project's DeepL glossaries are named with: one project, whatever its documents."""
        name = self.project_name or "-".join(re.findall(r"[a-z0-9]+", self.organisation.lower()))
        return f"pipeline:{name or 'project'}:"

    @property
    def document_name(self) -> str:
        """What commands and reports call the document: its name, or its domain."""
        return self.name or self.domain

    # -- derived paths: every one inside the project, links included -----------------
    # (each path is resolved anew, every time: a link planted meanwhile is still refused)
    def inside(self, path: Path) -> Path:
        """``path``, refused where it (or a link on its way) leads outside the project folder."""
        try:
            real = path.resolve()
        except (OSError, RuntimeError):
            return path  # a looping link: reading it reports that, with the path
        if not real.is_relative_to(_real_root(self.root)):
            raise FileError(f"leads outside the project folder (to {real}): refused", path)
        return path

    @property
    def source_path(self) -> Path:
        return self.inside(self.root / self.source)

    @property
    def template_path(self) -> Path:
        return self.inside(self.root / self.locale_dir / f"{self.domain}.pot")

    def catalog_path(self, code: str) -> Path:
        return self.inside(self.root / self.locale_dir / code / "LC_MESSAGES" / f"{self.domain}.po")

    @property
    def output_path(self) -> Path:
        return self.inside(self.root / self.output_dir)

    @property
    def glossary_path(self) -> Path:
        return self.inside(self.root / self.glossary)

    @property
    def glossary_forms_path(self) -> Path:
        path = self.root / self.glossary
        return self.inside(path.with_name(path.stem + "-forms" + path.suffix))

    def formality_for(self, code: str) -> str:
        return self.formality_per_language.get(code, self.formality)


_FIELDS = {f.name: f for f in dataclasses.fields(Config) if f.name not in ("root", "name", "documents")}
# What each entry of [[tool.pipeline.documents]] sets; everything else is the project's.
DOCUMENT_KEYS = ("name", "source", "domain", "signatories")


def _fail(path: Path, message: str) -> ConfigError:
    return ConfigError(f"[tool.pipeline] {message}", path)


def _languages(value: Any, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(path, "languages must be a list of language codes")
    bad = [v for v in value if v not in languages.TARGET_CODES]
    if bad:
        valid = " ".join(languages.TARGET_CODES)
        raise _fail(path, f"unknown language {bad[0]!r} in languages; valid: {valid}")
    return tuple(languages.protocol_order(value))


def _formality_per_language(value: Any, path: Path) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _fail(path, "formality-per-language must be a table of code = formality")
    for code, formality in value.items():
        if code not in languages.TARGET_CODES or formality not in FORMALITIES:
            raise _fail(path, f"formality-per-language: bad entry {code} = {formality!r}")
    return dict(value)


def _jobs(value: Any, path: Path) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _fail(path, "jobs must be a whole number >= 0 (0: one per core)")
    return value


def _choice(name: str, choices: tuple[str, ...]) -> Callable[[Any, Path], str]:
    def check(value: Any, path: Path) -> str:
        if value not in choices:
            raise _fail(path, f"{name} must be one of {', '.join(choices)}")
        return str(value)

    return check


def _share(name: str, example: str) -> Callable[[Any, Path], float]:
    def check(value: Any, path: Path) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise _fail(path, f"{name} must be a number from 0 to 1, e.g. {example}")
        return float(value)

    return check


def _flag(name: str) -> Callable[[Any, Path], bool]:
    def check(value: Any, path: Path) -> bool:
        if not isinstance(value, bool):
            raise _fail(path, f"{name} must be true or false")
        return value

    return check


_CHECKS: dict[str, Callable[[Any, Path], Any]] = {
    "mass_approval_share": _share("mass-approval-share", "0.5"),
    "memory_similarity": _share("memory-similarity", "0.75"),
    "final_refuses_approved": _flag("final-refuses-approved"),
    "languages": _languages,
    "formality_per_language": _formality_per_language,
    "jobs": _jobs,
    "formality": _choice("formality", FORMALITIES),
    "pdf_variant": _choice("pdf-variant", PDF_VARIANTS),
    "model_type": _choice("model-type", MODEL_TYPES),
}


def _text(key: str, name: str, value: Any, path: Path) -> str:
    if not isinstance(value, str) or (not value and name != "bugs_address"):
        raise _fail(path, f"{key} must be a non-empty string")
    if any(not c.isprintable() for c in value):
        raise _fail(path, f"{key} holds a control character")
    if name in _PATHS:
        root = path.parent.resolve()
        if Path(value).is_absolute() or not (root / value).resolve().is_relative_to(root):
            raise _fail(path, f"{key} = {value!r} leads outside the project folder; give a path inside it")
    if name in ("domain", "project_name") and not _DOMAIN.fullmatch(value):
        raise _fail(path, f"{key} = {value!r} must be a plain name: letters, digits, - and _")
    return value


_PATHS = ("source", "signatories", "locale_dir", "output_dir", "glossary", "memory_dir")
_DOMAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _validate(raw: dict[str, Any], path: Path) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = key.replace("-", "_")
        if name not in _FIELDS:
            known = ", ".join(sorted(k.replace("_", "-") for k in _FIELDS))
            raise _fail(path, f"unknown key {key!r}; known keys: {known}")
        check = _CHECKS.get(name)
        values[name] = check(value, path) if check is not None else _text(key, name, value, path)
    return values


def load(root: Path | None = None, doc: str | None = None) -> Config:
    """Read ``[tool.pipeline]`` from ``root/pyproject.toml`` (defaults where absent): the
    configuration of document ``doc``, or of the first document."""
    found = load_documents(root)
    if doc is None:
        return found[0]
    for config in found:
        if config.document_name == doc:
            return config
    raise ConfigError(f"no document {doc!r}; documents: {', '.join(found[0].documents)}")


def load_documents(root: Path | None = None) -> list[Config]:
    """One configuration per document, in the order ``[tool.pipeline]`` lists them."""
    root = (root or Path.cwd()).resolve()
    path = root / "pyproject.toml"
    if not os.path.lexists(path):
        return [Config(root=root, documents=(Config().domain,))]
    try:
        data = tomllib.loads(read_text(Config(root=root).inside(path), "configuration", MAX_CONFIG_BYTES))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path) from exc
    raw = data.get("tool", {}).get("pipeline", {})
    if not isinstance(raw, dict):
        raise _fail(path, "must be a table")
    raw = dict(raw)
    listed = raw.pop("documents", None)
    project = Config(root=root, **_validate(raw, path))
    if listed is None:
        return [dataclasses.replace(project, documents=(project.domain,))]
    clash = [key for key in ("source", "domain", "signatories") if key in raw]
    if clash:
        raise _fail(path, f"{clash[0]} is a document's: with [[tool.pipeline.documents]], set it in each")
    configs = [_document(project, entry, path) for entry in _entries(listed, path)]
    for key in ("name", "domain", "source"):
        values = [getattr(c, key) for c in configs]
        twice = next((v for v in values if values.count(v) > 1), None)
        if twice is not None:
            raise _fail(path, f"two documents have the {key} {twice!r}; each needs its own")
    names = tuple(c.name for c in configs)
    return [dataclasses.replace(c, documents=names) for c in configs]


def _entries(listed: Any, path: Path) -> list[dict[str, Any]]:
    if not isinstance(listed, list) or not listed or not all(isinstance(e, dict) for e in listed):
        raise _fail(path, "documents must be a list of tables ([[tool.pipeline.documents]]), at least one")
    return listed


def _document(project: Config, entry: dict[str, Any], path: Path) -> Config:
    unknown = [k for k in entry if k not in DOCUMENT_KEYS]
    if unknown:
        keys = ", ".join(DOCUMENT_KEYS)
        raise _fail(path, f"documents: unknown key {unknown[0]!r}; a document sets {keys}")
    name = entry.get("name")
    if not isinstance(name, str) or not _DOMAIN.fullmatch(name):
        raise _fail(path, 'documents: each needs a name: letters, digits, - and _ (e.g. name = "letter")')
    if "source" not in entry:
        raise _fail(path, f'documents: {name!r} needs a source (e.g. source = "source/{name}.md")')
    values = _validate({k: v for k, v in entry.items() if k != "name"}, path)
    # Signatories are a document's own: its front matter's, its key's, or a file beside it.
    own = Path(values["source"]).with_suffix(".signatories.yaml").as_posix()
    return dataclasses.replace(project, name=name, **{"domain": name, "signatories": own, **values})


def _real_root(root: Path) -> Path:
    """The project folder's own real path: resolved once a process where it is absolute (the paths
    below it, each time); a relative one depends on the working folder."""
    return _resolved(root) if root.is_absolute() else root.resolve()


@lru_cache(maxsize=64)
def _resolved(root: Path) -> Path:
    return root.resolve()
