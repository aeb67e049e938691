"""What a translate run reports: per language, the glossary it used, and the run as a whole."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import PipelineError
from ..memory.recall import Recalled
from .engine import LanguageFeatures


@dataclass(frozen=True)
class Sending:
    """How a language's requests go: its features, and the formality and model asked for."""

    features: LanguageFeatures
    formality: str | None
    model_type: str

    @property
    def billed(self) -> bool:
        return not self.features.beta


@dataclass(frozen=True)
class LanguageResult:
    language: str
    path: Path
    segments: int  # translated and saved (dry run: would be sent)
    characters: int  # billed (dry run: billable)
    undone: int = 0  # segments left untranslated by a stop
    undone_characters: int = 0
    broken: int = 0  # saved with a note: the markup did not survive
    skipped: str = ""  # why the language was not translated at all
    error: PipelineError | None = None
    # Answers not written, the entry left untranslated: (msgid, why); a machine's text is untrusted.
    refused: tuple[tuple[str, str], ...] = ()
    sending: Sending | None = None  # dry run: how the requests would go


@dataclass(frozen=True)
class GlossaryUse:
    name: str
    created: bool
    deleted: int
    skipped: tuple[str, ...]  # languages translated without it: DeepL has no glossary for them
    missing: tuple[str, ...] = ()  # languages translated without it: the term file has none for them

    @property
    def without(self) -> tuple[str, ...]:
        return self.skipped + self.missing


@dataclass(frozen=True)
class TranslateResult:
    languages: list[LanguageResult]
    dry_run: bool
    remaining: int | None = None  # characters left on the account before the run
    glossary: GlossaryUse | None = None
    error: PipelineError | None = None  # what stopped the run (what was done is saved)
    requests: int = 0
    note: str = ""  # the language features came from the fallback table: why
    recalled: tuple[Recalled, ...] = ()  # what the translation memory filled first

    @property
    def segments(self) -> int:
        return sum(r.segments for r in self.languages)

    @property
    def characters(self) -> int:
        return sum(r.characters for r in self.languages)

    @property
    def undone(self) -> int:
        return sum(r.undone for r in self.languages)

    @property
    def undone_characters(self) -> int:
        return sum(r.undone_characters for r in self.languages)

    def errors(self) -> list[PipelineError]:
        """Everything that went wrong, per language first; empty when everything asked for is done."""
        found = [r.error for r in self.languages if r.error is not None]
        return found + ([self.error] if self.error is not None else [])
