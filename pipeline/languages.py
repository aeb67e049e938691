"""The EU's 24 official languages: codes, plural forms, DeepL codes, typesetting."""

from __future__ import annotations

from dataclasses import dataclass


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
