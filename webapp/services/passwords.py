"""Password hashing with argon2id (a slow, memory-hard hash)."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# A real hash, made once per set of parameters, checked when an email has no account
# so that both paths take the same time.
_dummy_hashes: dict[tuple[int, int], str] = {}


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["ARGON2_TIME_COST"], memory_cost=cfg["ARGON2_MEMORY_COST"])


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str | None, password: str) -> tuple[bool, str | None]:
    """(matches, new hash if the parameters changed and it should be stored)."""
    hasher = _hasher()
    if stored is None:
        params = (hasher.time_cost, hasher.memory_cost)
        if params not in _dummy_hashes:
            _dummy_hashes[params] = hasher.hash("not a real password")
        stored_or_dummy = _dummy_hashes[params]
    else:
        stored_or_dummy = stored
    try:
        hasher.verify(stored_or_dummy, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if stored is None:
        return False, None
    return True, hasher.hash(password) if hasher.check_needs_rehash(stored) else None


COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"


@cache
def _common() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as f:
        return frozenset(line.rstrip("\n") for line in f if line.strip() and line[0] != "#")


def is_common(password: str) -> bool:
    """True for a password on the shipped list of common and breached passwords (any case,
    spaces at the ends ignored), or a name of this service. Offline: nothing is fetched."""
    word = password.strip().lower()
    return word in _common() or word.replace(" ", "") in {"mykeyworker", "keyworker"}
