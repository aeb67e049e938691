"""The machine translation engine: what the translate stage asks of a service, as a Protocol."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

SOURCE_LANG = "EN"


class Translated(NamedTuple):
    text: str  # as the engine returned it (XML, or plain text with placeholder tokens)
    billed_characters: int
    model: str


@dataclass(frozen=True)
class LanguageFeatures:
    """What a target language offers, translating from English (DeepL's /v3/languages)."""

    code: str  # the engine's target code: "DE", "PT-PT"
    formality: bool
    tag_handling: bool  # markup can go as XML (source and target both have it)
    glossary: bool  # a glossary can be used (source and target both have it)
    beta: bool = False  # characters translated into a beta language are not billed


@dataclass(frozen=True)
class Languages:
    """The targets on offer, and a note when they come from a fallback table, not the service."""

    targets: dict[str, LanguageFeatures]
    note: str = ""


@dataclass(frozen=True)
class Usage:
    count: int | None
    limit: int | None

    @property
    def remaining(self) -> int | None:
        if self.count is None or self.limit is None:
            return None
        return max(0, self.limit - self.count)


@dataclass(frozen=True)
class GlossaryRef:
    glossary_id: str
    name: str
    created: bool  # False: an existing glossary with the same terms was reused
    deleted: int = 0  # older glossaries of this project removed


class Engine(Protocol):
    """A machine translation service; DeepL's is :class:`pipeline.mt.deepl.DeepLEngine`."""

    name: str

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
        """Translate texts from English into ``target``: one result per text, in order.

        ``tag_handling``: the texts are XML (the XML codec); else plain text (the text codec).
        """
        ...

    def usage(self) -> Usage: ...

    def languages(self) -> Languages:
        """The target languages offered and their features; asked once per run."""
        ...

    def glossary(self, name: str, prefix: str, dictionaries: Mapping[str, Mapping[str, str]]) -> GlossaryRef:
        """The glossary called ``name`` (created if missing); others named ``prefix``… are deleted."""
        ...
