"""Language choice: the person's setting, else what they chose on the sign-in page (kept in
the session, nothing about who they are), else what the browser asks for."""

from __future__ import annotations

from functools import cache

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

from . import languages

SESSION_KEY = "language"


def select_locale() -> str:
    offered = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated:
        prefs = current_user.preferences
        if prefs is not None and prefs.language in offered:
            return prefs.language
    chosen = session.get(SESSION_KEY)
    if isinstance(chosen, str) and chosen in offered:
        return chosen
    return request.accept_languages.best_match(offered) or offered[0]


def current() -> str:
    return str(get_locale() or languages.SOURCE)


def text_direction(code: str | None = None) -> str:
    return "rtl" if (code or current()) in current_app.config["RTL_LANGUAGES"] else "ltr"


def is_offered(code: str | None) -> bool:
    return code in current_app.config["LANGUAGES"]


def offered() -> list[languages.Language]:
    """The languages this app offers now, in the order of languages.ALL."""
    codes = current_app.config["LANGUAGES"]
    return [lang for lang in languages.ALL if lang.code in codes]


def plural_samples() -> dict[str, int]:
    """A whole number for each plural category of the page's language ({"one": 1, "other": 0}
    in English; six in Arabic), so a script can pick the right sentence with Intl.PluralRules."""
    return _samples(current())


@cache
def _samples(code: str) -> dict[str, int]:
    from babel import Locale

    rule = Locale.parse(code).plural_form
    found: dict[str, int] = {}
    for n in range(1000):
        found.setdefault(rule(n), n)
    return found
