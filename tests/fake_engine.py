"""An in-process machine translation engine for translate-stage tests: the Engine protocol, no HTTP.

It translates the way the DeepL test server does (``tests/deepl_server.py``:
each text node gets the target code as a prefix, tags come back as sent,
glossary terms are replaced), bills the same characters, and records every
call. The DeepL engine itself is tested against the HTTP server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from pipeline.errors import TranslateError
from pipeline.mt import deepl_languages
from pipeline.mt.engine import GlossaryRef, Languages, Translated, Usage

from .deepl_server import FORMALITY, NO_TAG_HANDLING, TARGETS, language_table, translate_xml


@dataclass
class Call:
    texts: list[str]
    target: str
    context: str
    formality: str | None
    glossary: str | None
    tag_handling: bool = True
    model_type: str = ""


@dataclass
class FakeEngine:
    name: str = "deepl"
    targets_offered: tuple[str, ...] = TARGETS
    character_limit: int = 500_000
    character_count: int = 0
    model: str = ""  # "": the model_type asked for
    beta: tuple[str, ...] = ()
    calls: list[Call] = field(default_factory=list)
    usage_asked: int = 0
    glossaries: dict[str, tuple[str, dict[str, dict[str, str]]]] = field(default_factory=dict)
    # Hooks: rewrite an answer (to break markup); fail the n-th translate call; run code before a call.
    mangle: Callable[[str, str], str] | None = None
    fail_on_call: int | None = None
    quota_after: int | None = None
    before_call: Callable[[Call], None] | None = None

    @property
    def billed(self) -> int:
        return self.character_count

    def sent(self, target: str | None = None) -> list[str]:
        return [t for c in self.calls if target in (None, c.target) for t in c.texts]

    def translate(
        self,
        texts: Sequence[str],
        *,
        target: str,
        context: str,
        formality: str | None,
        glossary: str | None,
        tag_handling: bool = True,
        model_type: str = "quality_optimized",
    ) -> list[Translated]:
        call = Call(list(texts), target, context, formality, glossary, tag_handling, model_type)
        if self.before_call is not None:
            self.before_call(call)
        if self.fail_on_call is not None and len(self.calls) + 1 == self.fail_on_call:
            self.fail_on_call = None
            raise TranslateError("the engine failed (injected)")
        if formality in ("more", "less") and target not in FORMALITY:
            raise TranslateError(f"formality {formality} is not supported for {target}")
        terms = self._terms(glossary, target)
        if (tag_handling and target in NO_TAG_HANDLING) or (glossary and target in NO_TAG_HANDLING):
            raise TranslateError(f"{target} has no tag handling and no glossary: sent anyway")
        results = []
        for text in texts:
            if tag_handling:
                translated, billed = translate_xml(text, target, terms, {"x"})
            else:  # a plain-text engine that keeps the tokens intact
                translated, billed = f"[{target.split('-')[0]}] {text}", len(text)
            if self.mangle is not None:
                translated = self.mangle(translated, target)
            billed = 0 if target in self.beta else billed
            results.append(Translated(translated, billed, self.model or model_type.replace("prefer_", "")))
        total = sum(r.billed_characters for r in results)
        if self.quota_after is not None and self.character_count + total > self.quota_after:
            raise TranslateError("the DeepL character quota of this billing period is used up (HTTP 456)")
        self.character_count += total
        self.calls.append(call)
        return results

    def _terms(self, glossary: str | None, target: str) -> dict[str, str]:
        if glossary is None:
            return {}
        _, tables = self.glossaries[glossary]
        return tables.get(target.split("-")[0], {})

    def usage(self) -> Usage:
        self.usage_asked += 1
        return Usage(self.character_count, self.character_limit)

    def languages(self) -> Languages:
        return deepl_languages.parse(language_table(self.targets_offered, frozenset(self.beta)))

    def glossary(self, name: str, prefix: str, dictionaries: Mapping[str, Mapping[str, str]]) -> GlossaryRef:
        existing = next((gid for gid, (n, _) in self.glossaries.items() if n == name), None)
        created = existing is None
        if existing is None:
            existing = f"g{len(self.glossaries) + 1}"
            self.glossaries[existing] = (name, {k: dict(v) for k, v in dictionaries.items()})
        stale = [gid for gid, (n, _) in self.glossaries.items() if n.startswith(prefix) and gid != existing]
        for gid in stale:
            del self.glossaries[gid]
        return GlossaryRef(existing, name, created, len(stale))
