"""What makes a translation broken, checked the same way by `make translations` (which stops,
naming the file and line) and by the running app (which shows the English instead).

1. Placeholders: a translation uses exactly the named placeholders of its English, spelled the
   same ("%(name)s"). A misspelled one would crash the page; a dropped one leaves half a
   sentence. In a plural form used for one number only ("one", "two", "zero"), %(num)s may be
   left out: "ایک دن" says the number in words.
2. No stray "%": every "%" is a placeholder or "%%".
3. Right to left (Urdu, Arabic): a translation that starts with Latin letters or a placeholder
   starts with a right-to-left mark (U+200F), and one that ends with a number, a Latin word or
   a placeholder and then "." "?" "!" or ":" ends with one after that punctuation. Without the
   marks, where the direction is guessed from the text (dir="auto", a notification, an email,
   the tab's title) a sentence that starts with a name is laid out left to right and its full
   stop lands at the wrong end. (Browsers guessing for dir="auto" do not skip the isolates
   below, so the mark is needed even before a placeholder.)
4. Plural forms: the catalogue's Plural-Forms header has as many forms as the language has
   (Arabic six, Polish three, Urdu two). Its rule may be Babel's or the standard gettext one
   (they differ only in how they number the forms); every plural message fills each form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RLM = "\u200f"
# Unicode's "first strong isolate" and "pop directional isolate": the running app puts them
# around every value it fills into a right-to-left sentence (names, times, numbers).
FSI, PDI = "\u2068", "\u2069"

_SPEC = re.compile(r"%(?:\((\w*)\))?[#0 +-]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")
_ANY_PERCENT = re.compile(r"%")
_LTR_START = re.compile(r"^[\s\"'(]*(?:[A-Za-z]|%\(\w+\))")
# Latin letters, digits or a placeholder ("...s"), then closing ASCII punctuation, which has no
# direction of its own (the Urdu full stop "۔" and question mark "؟" are right to left).
_LTR_BEFORE_END = re.compile(r"[A-Za-z0-9)]([.?!:]+)\s*$")
_PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


@dataclass(frozen=True)
class Problem:
    message_id: str
    text: str


def placeholders(text: str) -> set[str] | None:
    """The named placeholders in `text`, or None when a "%" is not a placeholder or "%%"."""
    names, covered = set(), 0
    for match in _SPEC.finditer(text):
        covered += 1
        if match.group(2) != "%":
            if match.group(1) in (None, ""):
                return None  # "%s" without a name cannot be filled from our keyword arguments
            names.add(match.group(1))
    if covered != len(_ANY_PERCENT.findall(text)) - text.count("%%"):
        return None
    return names


def single_number_forms(plural, forms: int) -> set[int]:
    """The plural forms (by index) that only one number between 0 and 1000 takes."""
    numbers: dict[int, set[int]] = {}
    for n in range(1001):
        numbers.setdefault(plural(n), set()).add(n)
    return {index for index in range(forms) if len(numbers.get(index, ())) == 1}


def message_problems(
    msgid: str | tuple[str, ...],
    msgstr: str | tuple[str, ...],
    *,
    rtl: bool = False,
    single_forms: frozenset[int] | set[int] = frozenset(),
) -> list[str]:
    """Why this translation is broken, in plain words (an empty list when it is fine)."""
    ids = msgid if isinstance(msgid, tuple) else (msgid,)
    strings = msgstr if isinstance(msgstr, tuple) else (msgstr,)
    plural = isinstance(msgid, tuple)
    wanted: set[str] = set()
    for english in ids:
        wanted |= placeholders(english) or set()
    problems = []
    for index, text in enumerate(strings):
        if not text:
            continue  # untranslated: the English is shown, which is honest
        where = f"msgstr[{index}]" if plural else "msgstr"
        found = placeholders(text)
        if found is None:
            problems.append(f'{where} has a "%" that is not a placeholder like %(name)s')
            continue
        unknown = found - wanted - ({"num"} if plural else set())  # ngettext always fills num
        missing = wanted - found
        if plural and index in single_forms:
            missing.discard("num")
        if unknown:
            problems.append(
                f"{where} has {_names(unknown)}, which the English does not have "
                f"(misspelled?); the English has {_names(wanted) or 'none'}"
            )
        elif missing:
            problems.append(f"{where} leaves out {_names(missing)}")
        if rtl:
            problems += [f"{where}: {p}" for p in bidi_problems(text)]
    return problems


def bidi_problems(text: str) -> list[str]:
    """The right-to-left mark rule (3 above) for one translation."""
    problems = []
    if _LTR_START.match(text):
        problems.append(
            "starts with Latin letters or a placeholder: put a right-to-left mark (U+200F) first"
        )
    end = _LTR_BEFORE_END.search(text)
    if end is not None and not text.endswith(RLM):
        problems.append(
            f"a number, Latin word or placeholder comes right before the closing "
            f"{end.group(1)!r}: put a right-to-left mark (U+200F) after it"
        )
    return problems


def add_marks(text: str) -> str:
    """`text` with the right-to-left marks rule 3 asks for (for `check_translations --fix`)."""
    if _LTR_START.match(text):
        text = RLM + text
    if _LTR_BEFORE_END.search(text) and not text.endswith(RLM):
        text = text.rstrip() + RLM
    return text


def isolate_placeholders(text: str) -> str:
    """Wrap each placeholder outside an HTML tag in FSI ... PDI, so a name or a time filled in
    keeps its own direction and the sentence's punctuation stays where the sentence puts it."""
    out, last = [], 0
    for match in _PLACEHOLDER.finditer(text):
        if _inside_tag(text, match.start()):
            continue
        out += [text[last : match.start()], FSI, match.group(0), PDI]
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _inside_tag(text: str, index: int) -> bool:
    return text.rfind("<", 0, index) > text.rfind(">", 0, index)


def as_tuple(value) -> tuple[str, ...]:
    """A .po message's id or string as a tuple (one item, or one per plural form)."""
    if isinstance(value, (tuple, list)):
        return tuple(str(v or "") for v in value)
    return (str(value or ""),)


def _names(names: set[str]) -> str:
    return ", ".join(f"%({n})s" for n in sorted(names))


def check_catalogue(path, rtl: bool, shown_as: str | None = None) -> list[str]:
    """Every broken translation in a .po file, as "file:line: what is wrong (the English)"."""
    name = shown_as or str(path)
    import gettext

    from babel.messages.pofile import read_po

    with open(path, "rb") as f:
        catalog = read_po(f)
    choose = gettext.c2py(catalog.plural_expr)
    single = single_number_forms(choose, catalog.num_plurals)
    found = []
    wanted = _language_forms(catalog.locale)
    if wanted is not None and catalog.num_plurals != wanted:
        found.append(
            f"{name}:1: its Plural-Forms header has {catalog.num_plurals} forms, but "
            f"{catalog.locale} has {wanted}"
        )
    for message in catalog:
        if not message.id:
            continue
        ids, strings = as_tuple(message.id), as_tuple(message.string)
        plural = len(ids) > 1
        if plural and len(strings) != catalog.num_plurals:
            found.append(
                f"{name}:{message.lineno}: has {len(strings)} plural forms, but its "
                f"Plural-Forms header says {catalog.num_plurals} ({ids[0]!r})"
            )
        msgid: str | tuple[str, ...] = ids if plural else ids[0]
        msgstr: str | tuple[str, ...] = strings if plural else strings[0]
        for problem in message_problems(msgid, msgstr, rtl=rtl, single_forms=single):
            found.append(f"{name}:{message.lineno}: {problem} ({ids[0]!r})")
    return found


def _language_forms(locale) -> int | None:
    """How many plural forms the catalogue's language has (None when Babel does not know)."""
    from babel.messages.plurals import get_plural

    if locale is None:
        return None
    try:
        return get_plural(locale).num_plurals
    except (ValueError, LookupError):
        return None


def fix_marks(path) -> int:
    """Add the right-to-left marks rule 3 asks for to a .po file; how many it changed."""
    from babel.messages.pofile import read_po, write_po

    with open(path, "rb") as f:
        catalog = read_po(f)
    changed = 0
    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.string, (tuple, list)):
            fixed: str | tuple[str, ...] = tuple(add_marks(s) if s else s for s in message.string)
        else:
            fixed = add_marks(str(message.string))
        if fixed != message.string:
            message.string, changed = fixed, changed + 1
    if changed:
        with open(path, "wb") as f:
            write_po(f, catalog, width=76)
    return changed
