"""DeepL's language features: read from ``GET /v3/languages``, or from a dated table when it fails.

A feature is offered when its key is in a language's ``features``; ``tag_handling`` and
``glossary`` must be there for the source (English) and the target, ``formality`` for the
target. Languages and features whose ``status`` is ``beta`` come with ``include=beta``;
characters translated into a beta language are not billed.
"""

from __future__ import annotations

from typing import Any

from .engine import LanguageFeatures, Languages

PATH = "v3/languages?resource=translate_text&include=beta"
SOURCE = "EN"

# DeepL's language table (developer documentation, June 2026), for when /v3/languages fails.
FALLBACK_DATE = "June 2026"
_EU = [
    "BG",
    "CS",
    "DA",
    "DE",
    "EL",
    "EN-GB",
    "ES",
    "ET",
    "FI",
    "FR",
    "GA",
    "HR",
    "HU",
    "IT",
    "LT",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT-PT",
    "RO",
    "SK",
    "SL",
    "SV",
]
_FORMALITY = {"DE", "FR", "IT", "ES", "NL", "PL", "PT-PT"}
_PLAIN_TEXT_ONLY = {"GA", "HR", "MT"}  # text translation, no tag handling, no glossary
FALLBACK = {
    code: LanguageFeatures(
        code, code in _FORMALITY, code not in _PLAIN_TEXT_ONLY, code not in _PLAIN_TEXT_ONLY
    )
    for code in _EU
}


def fallback(why: str) -> Languages:
    return Languages(dict(FALLBACK), f"{why}; using DeepL's language table of {FALLBACK_DATE}")


def _features(item: dict[str, Any]) -> set[str]:
    features = item.get("features", {})
    if isinstance(features, dict):
        return {str(k) for k in features}
    if isinstance(features, list):  # the beta's form: a list of names
        return {str(k) for k in features}
    raise ValueError("features is neither an object nor a list")


def parse(payload: Any) -> Languages:
    """The answer of /v3/languages as a table; ValueError if it is not one."""
    if not isinstance(payload, list) or not payload:
        raise ValueError("not a list of languages")
    found: dict[str, dict[str, Any]] = {}
    for item in payload:
        if not isinstance(item, dict) or not isinstance(item.get("lang"), str):
            raise ValueError("a language without a code")
        found[item["lang"].upper()] = item
    if SOURCE not in found:
        raise ValueError("English is not among the source languages")
    source = _features(found[SOURCE])
    targets = {}
    for code, item in found.items():
        if item.get("usable_as_target") is not True:
            continue
        features = _features(item)
        targets[code] = LanguageFeatures(
            code,
            "formality" in features,
            "tag_handling" in features and "tag_handling" in source,
            "glossary" in features and "glossary" in source,
            beta=item.get("status") == "beta",
        )
    if not targets:
        raise ValueError("no target languages")
    return Languages(targets)
