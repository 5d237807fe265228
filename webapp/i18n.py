"""Language choice: the person's setting, else what the browser asks for."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated:
        prefs = current_user.preferences
        if prefs is not None and prefs.language in languages:
            return prefs.language
    return request.accept_languages.best_match(languages) or languages[0]


def text_direction() -> str:
    return "rtl" if str(get_locale()) in current_app.config["RTL_LANGUAGES"] else "ltr"


LANGUAGE_NAMES = {"en": "English", "ur": "اردو (Urdu)"}
