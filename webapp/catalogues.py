"""The compiled catalogues, loaded once per process and checked as they load.

A translation whose placeholders do not match its English (a name misspelled or dropped, a
stray "%") is left out, so the page shows the English sentence whole instead of crashing or
showing half a sentence; the problem is logged once. In right-to-left languages every
placeholder outside an HTML tag is wrapped in Unicode isolates (FSI ... PDI), so a name, a time
or a number filled in keeps its own direction and the sentence's punctuation stays where the
sentence puts it.
"""

from __future__ import annotations

import gettext
import logging
import os
from functools import cached_property
from threading import Lock

from babel import support
from flask import g, has_app_context
from flask_babel import Babel, Domain, get_locale

from .languages import rtl_codes
from .translation_check import isolate_placeholders, message_problems, single_number_forms

log = logging.getLogger(__name__)
LRI, PDI = "\u2066", "\u2069"  # left-to-right isolate ... pop directional isolate


class CheckedTranslations(support.Translations):
    """A language's translations; where one is missing (or was left out as broken) the English
    is given, and on a right-to-left page it is isolated left to right, so its full stop stays
    at its end."""

    isolate_english = False

    def _english(self, text: str) -> str:
        return f"{LRI}{text}{PDI}" if self.isolate_english and text else text

    def gettext(self, message):
        found = self._catalog.get(message)
        return self._english(message) if found is None else found

    def ngettext(self, msgid1, msgid2, n):
        found = self._catalog.get((msgid1, self.plural(n)))
        return self._english(msgid1 if n == 1 else msgid2) if found is None else found

    ugettext = gettext
    ungettext = ngettext


_loaded: dict[tuple, support.Translations] = {}
_lock = Lock()


def _mo_times(directories: list[str], locale: str, domain: str) -> tuple:
    times: list[int | None] = []
    for directory in directories:
        try:
            found = os.stat(os.path.join(directory, locale, "LC_MESSAGES", f"{domain}.mo"))
            times.append(found.st_mtime_ns)
        except OSError:
            times.append(None)
    return tuple(times)


def load(directories: list[str], locale: str, domain: str = "messages") -> support.Translations:
    """The checked translations for `locale`, reloaded only when a .mo file changes."""
    key = (tuple(directories), locale, domain, _mo_times(directories, locale, domain))
    found = _loaded.get(key)
    if found is not None:
        return found
    translations = CheckedTranslations()
    for directory in directories:
        catalog = support.Translations.load(directory, [locale], domain)
        if not isinstance(catalog, support.Translations):
            continue  # no catalogue for this language in this folder (English)
        translations.merge(catalog)
        if hasattr(catalog, "plural"):  # merge() does not copy it (see flask-babel)
            translations.plural = catalog.plural
    rtl = locale.split("_")[0] in rtl_codes()
    clean(translations, rtl=rtl, where=f"{locale}/{domain}.mo")
    translations.isolate_english = rtl
    with _lock:
        _loaded[key] = translations
    return translations


def clean(translations: support.Translations, *, rtl: bool, where: str = "") -> int:
    """Leave out broken translations and isolate placeholders (see the module's docstring);
    how many were left out."""
    catalog: dict = getattr(translations, "_catalog", {})
    plural = getattr(translations, "plural", lambda n: int(n != 1))
    plurals: dict[str, dict[int, str]] = {}
    for key, text in catalog.items():
        if isinstance(key, tuple):
            plurals.setdefault(key[0], {})[key[1]] = text
    forms = max((len(f) for f in plurals.values()), default=2)
    single = single_number_forms(plural, forms)
    dropped = 0
    for key, text in list(catalog.items()):
        if not key or isinstance(key, tuple):
            continue
        if message_problems(key, text):
            log.warning("Broken translation left out (%s): %r", where, key)
            del catalog[key]
            dropped += 1
        elif rtl:
            catalog[key] = isolate_placeholders(text)
    for msgid, texts in plurals.items():
        strings = tuple(texts[i] for i in sorted(texts))
        if message_problems((msgid,), strings, single_forms=single):
            log.warning("Broken translation left out (%s): %r", where, msgid)
            for index in texts:
                del catalog[(msgid, index)]
            dropped += 1
        elif rtl:
            for index, text in texts.items():
                catalog[(msgid, index)] = isolate_placeholders(text)
    return dropped


class CheckedDomain(Domain):
    def get_translations(self):
        locale = get_locale()
        if locale is None:
            return support.NullTranslations()
        # Once per request and language: every _() asks, about 50 times a page, and load()
        # looks at the .mo files' times each time it is called.
        key = (str(locale), self.domain[0])
        per_request = g.setdefault("_mkw_translations", {}) if has_app_context() else {}
        found = per_request.get(key)
        if found is None:
            found = per_request[key] = load(list(self.translation_directories), *key)
        return found


class CheckedBabel(Babel):
    @cached_property
    def domain_instance(self):
        return CheckedDomain(domain=self.domain)


def plural_function(expression: str):
    """A catalogue's Plural-Forms expression as a function of n (for the tests and checks)."""
    return gettext.c2py(expression)
