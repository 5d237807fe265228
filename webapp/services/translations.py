"""Honest labels: a language's interface catalogue is checked string by string by reviewers who
read it. Until every string, as it is now, is checked, pages in that language say they were
translated by computer."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from .. import languages
from ..config import ROOT
from ..extensions import db
from ..models import LanguageApproval, ReviewerLanguage, StringCheck, User, utcnow
from ..translation_check import as_tuple


@dataclass(frozen=True)
class Pair:
    english: tuple[str, ...]  # (singular,) or (singular, plural)
    translation: tuple[str, ...]  # one per plural form; "" where not translated yet

    @property
    def english_hash(self) -> str:
        return _hash(self.english)

    @property
    def translation_hash(self) -> str:
        return _hash(self.translation)

    @property
    def key(self) -> tuple[str, str]:
        return self.english_hash, self.translation_hash

    @property
    def translated(self) -> bool:
        return all(self.translation)


@dataclass
class Group:
    """The strings of one page (a template) or one part of the code."""

    id: str
    source: str
    pairs: list[Pair]
    checked: int


def _hash(parts: tuple[str, ...]) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


# The catalogue, read from its .po file (cached until the file changes) -----------------------

_cache: dict[tuple, object] = {}
_lock = Lock()


def _folder() -> Path:
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0])


def catalogue(language: str) -> list[Pair]:
    return _read(language)[0]


def digest(language: str) -> str:
    """Changes whenever a string or its translation changes."""
    return _read(language)[1]


def _read(language: str) -> tuple[list[Pair], str]:
    from babel.messages.pofile import read_po

    path = languages.catalogue_path(_folder(), language)
    if not path.is_file():
        return [], ""
    key = ("po", str(path), path.stat().st_mtime_ns)
    found = _cache.get(key)
    if found is None:
        with path.open("rb") as f:
            catalog = read_po(f)
        pairs = []
        for m in catalog:
            if not m.id:
                continue
            pairs.append(Pair(as_tuple(m.id), as_tuple(m.string)))
        whole = _hash(tuple(sorted(f"{a}:{b}" for a, b in (p.key for p in pairs))))
        found = (pairs, whole)
        with _lock:
            _cache[key] = found
    return found  # type: ignore[return-value]


def _sources() -> dict[str, list[str]]:
    """Which files use each English string (found the way `make translations` finds them)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    found = _cache.get(("sources",))
    if found is not None:
        return found  # type: ignore[return-value]
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    skip = ("node_modules", ".venv", ".git", "static", "tests", "instance", "migrations")
    uses: dict[str, list[str]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords,
        directory_filter=lambda d: not any(part in Path(d).parts for part in skip),
    ):  # fmt: skip
        english = message[0] if isinstance(message, tuple) else message
        files = uses.setdefault(english, [])
        if filename not in files:
            files.append(filename)
    with _lock:
        _cache[("sources",)] = uses
    return uses


def _group_id(source: str) -> str:
    return source.rsplit(".", 1)[0].replace("/", ".")


def groups(language: str) -> list[Group]:
    """The catalogue as pairs of English and translation, grouped by the page (template) or
    code file that shows them; a string used in several places is in each of their groups."""
    sources = _sources()
    checked = checked_keys(language)
    by_source: dict[str, list[Pair]] = {}
    for pair in catalogue(language):
        for source in sources.get(pair.english[0], ["other"]):
            by_source.setdefault(source, []).append(pair)
    return [
        Group(_group_id(source), source, pairs, sum(1 for p in pairs if p.key in checked))
        for source, pairs in sorted(by_source.items())
    ]


def group(language: str, group_id: str) -> Group | None:
    return next((g for g in groups(language) if g.id == group_id), None)


# Checks -------------------------------------------------------------------------------------


def checked_keys(language: str) -> set[tuple[str, str]]:
    rows = db.session.execute(
        select(StringCheck.english_hash, StringCheck.translation_hash).where(
            StringCheck.language == language
        )
    )
    return {(a, b) for a, b in rows}


def progress(language: str) -> tuple[int, int]:
    """(checked, all) strings of the catalogue as it is now."""
    pairs = catalogue(language)
    checked = checked_keys(language)
    return sum(1 for p in pairs if p.key in checked), len(pairs)


def record(reviewer: User, language: str, right: list[Pair], not_right: list[Pair]) -> bool:
    """A reviewer's ticks on one page: `right` are checked, `not_right` no longer are. True
    when, with these, every string of the language is checked (its label goes)."""
    if language not in reads(reviewer):
        raise PermissionError("a reviewer checks only the languages they read")
    have = checked_keys(language)
    for pair in right:
        if pair.translated and pair.key not in have:
            db.session.add(
                StringCheck(
                    language=language, english_hash=pair.english_hash,
                    translation_hash=pair.translation_hash, checked_by_id=reviewer.id,
                )
            )  # fmt: skip
            have.add(pair.key)
    for pair in not_right:
        db.session.execute(
            delete(StringCheck).where(
                StringCheck.language == language,
                StringCheck.english_hash == pair.english_hash,
                StringCheck.translation_hash == pair.translation_hash,
            )
        )
        have.discard(pair.key)
    if not_right:
        db.session.execute(delete(LanguageApproval).where(LanguageApproval.language == language))
    done = all(p.key in have for p in catalogue(language))
    if done and not is_checked(language):
        db.session.add(LanguageApproval(language=language, catalogue_digest=digest(language)))
    db.session.commit()
    return done


def is_checked(language: str) -> bool:
    """True for English, and for a language whose catalogue, exactly as it is now, a reviewer
    who reads it has checked whole."""
    if language == languages.SOURCE:
        return True
    try:
        approved = db.session.scalar(
            select(LanguageApproval.approved_at).where(
                LanguageApproval.language == language,
                LanguageApproval.catalogue_digest == digest(language),
            )
        )
    except SQLAlchemyError:  # an error page while the database is down: say it is unchecked
        return False
    return approved is not None


def unchecked(codes: list[str] | tuple[str, ...]) -> set[str]:
    return {code for code in codes if not is_checked(code)}


# The languages a reviewer reads --------------------------------------------------------------


def reads(reviewer: User) -> set[str]:
    return set(
        db.session.scalars(
            select(ReviewerLanguage.language).where(ReviewerLanguage.user_id == reviewer.id)
        )
    )


def set_reads(reviewer: User, codes: set[str]) -> None:
    have = reads(reviewer)
    for code in codes - have:
        db.session.add(ReviewerLanguage(user_id=reviewer.id, language=code, created_at=utcnow()))
    if have - codes:
        db.session.execute(
            delete(ReviewerLanguage).where(
                ReviewerLanguage.user_id == reviewer.id,
                ReviewerLanguage.language.in_(have - codes),
            )
        )
    db.session.commit()
