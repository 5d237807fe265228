"""The languages the app can speak: each one's name in its own script, its direction and the
font its script needs. A language is offered only when its catalogue exists."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Language:
    code: str
    own_name: str  # how a reader of the language writes its name
    english: str  # its name in English (translated for the page by `name_of`)
    rtl: bool = False
    # The @font-face its script needs beyond Atkinson Hyperlegible Next (which covers Latin
    # with its accents): None for English, Polish and Romanian.
    font: str | None = None


ALL: tuple[Language, ...] = (
    Language("en", "English", "English"),
    Language("ur", "اردو", "Urdu", rtl=True, font="Noto Naskh Arabic"),
    Language("ar", "العربية", "Arabic", rtl=True, font="Noto Naskh Arabic"),
    Language("bn", "বাংলা", "Bengali", font="Noto Sans Bengali"),
    Language("pa", "ਪੰਜਾਬੀ", "Punjabi", font="Noto Sans Gurmukhi"),
    Language("pl", "Polski", "Polish"),
    Language("ro", "Română", "Romanian"),
)
BY_CODE = {language.code: language for language in ALL}
# Each name in the language of the page ("Polish" on an English page, "polski" on a Polish one).
_NAMES = {
    "en": _l("English"),
    "ur": _l("Urdu"),
    "ar": _l("Arabic"),
    "bn": _l("Bengali"),
    "pa": _l("Punjabi"),
    "pl": _l("Polish"),
    "ro": _l("Romanian"),
}
SOURCE = "en"  # every string is written in English first; English needs no catalogue


def catalogue_path(directory: Path, code: str) -> Path:
    return directory / code / "LC_MESSAGES" / "messages.po"


def available(directory: Path) -> tuple[str, ...]:
    """English, then every language whose catalogue is in `directory`, in the order above."""
    return tuple(
        lang.code
        for lang in ALL
        if lang.code == SOURCE or catalogue_path(directory, lang.code).is_file()
    )


def rtl_codes() -> frozenset[str]:
    return frozenset(lang.code for lang in ALL if lang.rtl)


def get(code: str | None) -> Language | None:
    return BY_CODE.get(code or "")


def name_of(code: str | None) -> str:
    """ "Urdu" in the page's language; a code the app does not know is shown as it is."""
    return str(_NAMES[code]) if code in _NAMES else (code or "")


def from_words(words: str | None) -> str | None:
    """What someone typed for a language ("Urdu", "urdu", "ur", "اردو", "Urdu and some
    English") -> "ur"; None when none of ours is named. English counts only when nothing else
    is named ("Language, if not English")."""
    typed = (words or "").strip().casefold()
    if not typed:
        return None
    parts = set(typed.replace(",", " ").replace("(", " ").replace(")", " ").split())
    found = [
        lang.code
        for lang in ALL
        if typed in {lang.code, lang.own_name.casefold(), lang.english.casefold()}
        or {lang.own_name.casefold(), lang.english.casefold()} & parts
    ]
    others = [code for code in found if code != SOURCE]
    return others[0] if others else (found[0] if found else None)
