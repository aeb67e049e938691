"""The project's one DeepL glossary: built from locale/glossary.csv, reused while its terms stay."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from .. import languages
from ..catalogs import glossary, marks
from ..config import Config
from .engine import Engine, Languages
from .results import GlossaryUse


def base_code(deepl_code: str) -> str:
    return deepl_code.split("-")[0]


def glossary_dictionaries(terms: glossary.Glossary, codes: Sequence[str]) -> dict[str, dict[str, str]]:
    """DeepL glossary target code -> {English term: the language's term}."""
    tables: dict[str, dict[str, str]] = {}
    for code in codes:
        entries = {t.english: t.targets[code] for t in terms.words if code in t.targets}
        if entries:
            tables[base_code(languages.get(code).deepl)] = entries
    return tables


def glossary_name(prefix: str, dictionaries: Mapping[str, Mapping[str, str]]) -> str:
    content = json.dumps(dictionaries, sort_keys=True, ensure_ascii=False)
    return f"{prefix}{marks.digest(content)}"


def glossary_for(
    config: Config, engine: Engine, codes: list[str], offered: Languages
) -> tuple[GlossaryUse | None, str | None]:
    """The project's one glossary on the service: reused while the terms are the same; for the
    languages whose features include glossaries (DeepL has none for Irish, Croatian, Maltese)."""
    if not codes or not config.glossary_path.exists():
        return None, None
    terms = glossary.load(config.glossary_path, config.glossary_forms_path)
    supported = {base_code(code) for code, features in offered.targets.items() if features.glossary}
    covered = [c for c in languages.TARGET_CODES if base_code(languages.get(c).deepl) in supported]
    tables = glossary_dictionaries(terms, covered)
    if not tables:
        return None, None
    prefix = config.glossary_prefix  # the project's, not a document's: one glossary for all
    ref = engine.glossary(glossary_name(prefix, tables), prefix, tables)
    unsupported = tuple(c for c in codes if base_code(languages.get(c).deepl) not in supported)
    missing = tuple(
        c for c in codes if c not in unsupported and base_code(languages.get(c).deepl) not in tables
    )
    return GlossaryUse(ref.name, ref.created, ref.deleted, unsupported, missing), ref.glossary_id
