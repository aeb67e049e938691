"""The EU's 24 official languages: codes, plural forms, DeepL codes, typesetting."""

from __future__ import annotations

import hashlib
import json
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from importlib import metadata

from .errors import FileError
from .files import atomic_write, cache_root


@dataclass(frozen=True)
class Language:
    code: str  # folder under locale/ and output/ (ISO 639-1)
    html_lang: str  # <html lang>, also the PDF /Lang and the hyphenation key
    babel: str  # Babel (CLDR) locale
    deepl: str  # DeepL target code
    hyphenation: str | None  # Pyphen dictionary, None where there is none
    nplurals: int
    plural: str  # Weblate's formula (editors expect these, not Babel's)

    @property
    def plural_forms(self) -> str:
        return f"nplurals={self.nplurals}; plural={self.plural};"


_TWO = "n != 1"
_TWO_FR = "n > 1"
_CS = "(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2"
_HR_PL_TAIL = "n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2"

# EU protocol order (the order of the Official Journal), which every list uses.
LANGUAGES: tuple[Language, ...] = (
    Language("bg", "bg", "bg", "BG", "bg_BG", 2, _TWO),
    Language("es", "es", "es", "ES", "es", 2, _TWO),
    Language("cs", "cs", "cs", "CS", "cs_CZ", 3, _CS),
    Language("da", "da", "da", "DA", "da_DK", 2, _TWO),
    Language("de", "de", "de", "DE", "de_DE", 2, _TWO),
    Language("et", "et", "et", "ET", "et_EE", 2, _TWO),
    Language("el", "el", "el", "EL", "el_GR", 2, _TWO),
    Language("en", "en-GB", "en_GB", "EN-GB", "en_GB", 2, _TWO),
    Language("fr", "fr", "fr", "FR", "fr", 2, _TWO_FR),
    Language(
        "ga",
        "ga",
        "ga",
        "GA",
        None,
        5,
        "n==1 ? 0 : n==2 ? 1 : (n>2 && n<7) ? 2 :(n>6 && n<11) ? 3 : 4",
    ),
    Language("hr", "hr", "hr", "HR", "hr_HR", 3, "n%10==1 && n%100!=11 ? 0 : " + _HR_PL_TAIL),
    Language("it", "it", "it", "IT", "it_IT", 2, _TWO),
    Language(
        "lv",
        "lv",
        "lv",
        "LV",
        "lv_LV",
        3,
        "(n % 10 == 0 || n % 100 >= 11 && n % 100 <= 19) ? 0 : ((n % 10 == 1 && n % 100 != 11) ? 1 : 2)",
    ),
    Language(
        "lt",
        "lt",
        "lt",
        "LT",
        "lt",
        3,
        "(n % 10 == 1 && (n % 100 < 11 || n % 100 > 19)) ? 0 : "
        "((n % 10 >= 2 && n % 10 <= 9 && (n % 100 < 11 || n % 100 > 19)) ? 1 : 2)",
    ),
    Language("hu", "hu", "hu", "HU", "hu_HU", 2, _TWO),
    Language(
        "mt",
        "mt",
        "mt",
        "MT",
        None,
        4,
        "n==1 ? 0 : n==0 || ( n%100>1 && n%100<11) ? 1 : (n%100>10 && n%100<20 ) ? 2 : 3",
    ),
    Language("nl", "nl", "nl", "NL", "nl_NL", 2, _TWO),
    Language("pl", "pl", "pl", "PL", "pl_PL", 3, "n==1 ? 0 : " + _HR_PL_TAIL),
    Language("pt", "pt-PT", "pt_PT", "PT-PT", "pt_PT", 2, _TWO_FR),
    Language(
        "ro",
        "ro",
        "ro",
        "RO",
        "ro_RO",
        3,
        "n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2",
    ),
    Language("sk", "sk", "sk", "SK", "sk_SK", 3, _CS),
    Language(
        "sl",
        "sl",
        "sl",
        "SL",
        "sl_SI",
        4,
        "n%100==1 ? 0 : n%100==2 ? 1 : n%100==3 || n%100==4 ? 2 : 3",
    ),
    Language("fi", "fi", "fi", "FI", None, 2, _TWO),
    Language("sv", "sv", "sv", "SV", "sv", 2, _TWO),
)

BY_CODE: dict[str, Language] = {lang.code: lang for lang in LANGUAGES}
SOURCE_CODE = "en"
# The languages that get a catalog: all but the source's.
TARGET_CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES if lang.code != SOURCE_CODE)


def get(code: str) -> Language:
    """The language for a folder code; KeyError for anything else."""
    return BY_CODE[code]


def protocol_order(codes: list[str] | tuple[str, ...]) -> list[str]:
    """``codes`` sorted in EU protocol order, without duplicates."""
    order = {lang.code: i for i, lang in enumerate(LANGUAGES)}
    return sorted(set(codes), key=order.__getitem__)


def autonym(code: str) -> str:
    """A language's name in itself (CLDR), capitalised as a menu entry: "Deutsch", "Gaeilge"."""
    return _names()[code][0]


def english_name(code: str) -> str:
    """A language's name in English (CLDR): "German", "Irish"."""
    return _names()[code][1]


_NAMES_FORMAT = 1


@cache
def _names() -> dict[str, tuple[str, str]]:
    """Every language's two names, from Babel once a machine: each autonym loads that language's
    CLDR data (24 locales, a tenth of a second every render worker and download page would pay).
    Kept in the cache folder, named by what they are made from (Babel's version, each
    language's locale, and this code's format: raise ``_NAMES_FORMAT`` when ``_from_babel``
    changes); a file that is not whole is made again."""
    made_from = json.dumps(
        [_NAMES_FORMAT, metadata.version("babel"), [[lang.code, lang.babel] for lang in LANGUAGES]]
    )
    key = hashlib.sha256(made_from.encode()).hexdigest()[:20]
    path = cache_root() / "cldr" / f"names-{key}.json"
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = None
    if (
        isinstance(kept, dict)
        and set(kept) == set(BY_CODE)
        and all(
            isinstance(v, list) and len(v) == 2 and all(isinstance(n, str) and n for n in v)
            for v in kept.values()
        )
    ):
        return {code: (kept[code][0], kept[code][1]) for code in BY_CODE}
    names = {lang.code: _from_babel(lang) for lang in LANGUAGES}
    with suppress(FileError):  # a read-only cache: the names are right, only not kept
        atomic_write(path, json.dumps(names, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return names


def _from_babel(lang: Language) -> tuple[str, str]:
    from babel import Locale

    locale = Locale.parse(lang.babel)
    own = locale.get_display_name(locale) if lang.code != SOURCE_CODE else locale.get_language_name(locale)
    name = str(own)
    return name[:1].upper() + name[1:], str(locale.get_language_name("en"))
