"""The machine translation engine: what the translate stage asks of a service, as a Protocol."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

SOURCE_LANG = "EN"


class Translated(NamedTuple):
    text: str  # XML, as the engine returned it
    billed_characters: int
    model: str


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
    ) -> list[Translated]:
        """Translate XML texts from English into ``target``: one result per text, in order."""
        ...

    def usage(self) -> Usage: ...

    def targets(self) -> dict[str, bool]:
        """The target codes offered, each with whether it takes a formality."""
        ...

    def glossary_targets(self) -> set[str]:
        """The target codes (without variant: PT, EN) a glossary from English can have."""
        ...

    def glossary(self, name: str, prefix: str, dictionaries: Mapping[str, Mapping[str, str]]) -> GlossaryRef:
        """The glossary called ``name`` (created if missing); others named ``prefix``… are deleted."""
        ...
