"""Staff second factor: TOTP (pyotp) with a QR code drawn on the server (segno), ten
single-use recovery codes kept only as keyed hashes, and a manager's reset, recorded."""

from __future__ import annotations

import base64
import hmac
import os
import re
import secrets
import time

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import delete, select

from ..extensions import db
from ..models import RecoveryCode, Role, SecurityEvent, SignInSession, User, utcnow
from . import passkeys, sessions, tokens

ISSUER = "My Key Worker"
ROLES = frozenset({Role.KEY_WORKER, Role.MANAGER, Role.REVIEWER})
STEP = 30  # seconds a TOTP code lasts
WINDOW = 1  # steps either side allowed for a phone clock that is a little out
RECOVERY_CODES = 10
DEFAULT_DEMO_SECRET = "MYKEYWORKERDEMOSECRETFORSTAFFABC"  # noqa: S105 - documented demo value


# The TOTP secret is kept encrypted (Fernet: AES-128-CBC with HMAC-SHA256), with a key derived
# from TOTP_ENCRYPTION_KEY, or from SECRET_KEY when that is not set. A secret stored before
# encryption (no prefix) still works and is encrypted the first time it is used.
_ENCRYPTED = "enc1:"


def _fernet() -> Fernet:
    material = current_app.config.get("TOTP_ENCRYPTION_KEY") or current_app.config["SECRET_KEY"]
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"mykeyworker totp secret v1"
    ).derive(material.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _store_secret(user: User, secret: str | None) -> None:
    user.totp_secret = (
        None if secret is None else _ENCRYPTED + _fernet().encrypt(secret.encode()).decode()
    )


def totp_secret(user: User) -> str | None:
    """The base32 secret in clear, for checking a code; None if there is none or the key that
    encrypted it is gone (then a manager resets the second check)."""
    stored = user.totp_secret
    if not stored:
        return None
    if not stored.startswith(_ENCRYPTED):
        _store_secret(user, stored)  # from before encryption: encrypted from now on
        db.session.commit()
        return stored
    try:
        return _fernet().decrypt(stored[len(_ENCRYPTED) :].encode()).decode()
    except InvalidToken:
        return None


def demo_secret() -> str:
    return os.environ.get("DEMO_TOTP_SECRET") or DEFAULT_DEMO_SECRET


def needed(user: User) -> bool:
    """Everyone who sees staff pages: key workers, managers and reviewers."""
    return user.role in ROLES


def is_set_up(user: User) -> bool:
    """An authenticator app (TOTP) or a passkey: either one is the second factor."""
    return has_totp(user) or passkeys.has_any(user)


def has_totp(user: User) -> bool:
    return user.totp_secret is not None and user.totp_confirmed_at is not None


def secret_for_set_up(user: User) -> str:
    """The secret shown while setting up: made once, kept until a code from it works."""
    secret = totp_secret(user)
    if secret is None:
        secret = pyotp.random_base32()
        _store_secret(user, secret)
        db.session.commit()
    return secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(totp_secret(user) or "").provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(user: User) -> str:
    """The QR code as inline SVG (no image request, no third party)."""
    return segno.make(provisioning_uri(user), error="m").svg_inline(
        scale=5, dark="#212b32", light="#ffffff", omitsize=False
    )


def grouped(secret: str) -> str:
    """The secret in groups of 4, easier to type into an app: ABCD EFGH …"""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _digits(code: str) -> str | None:
    cleaned = re.sub(r"[\s-]", "", code or "")
    return cleaned if re.fullmatch(r"\d{6}", cleaned) else None


def check_totp(user: User, code: str, now: float | None = None) -> bool:
    """A code from the current step (or one either side), never one already used: each
    accepted step is remembered, so a code seen over someone's shoulder cannot be replayed."""
    digits = _digits(code)
    secret = totp_secret(user)
    if digits is None or not secret:
        return False
    totp = pyotp.TOTP(secret)
    current = int((time.time() if now is None else now) // STEP)
    last = user.totp_last_step if user.totp_last_step is not None else -1
    for step in range(current - WINDOW, current + WINDOW + 1):
        if step <= last:
            continue
        if hmac.compare_digest(totp.at(step * STEP), digits):
            user.totp_last_step = step
            db.session.commit()
            return True
    return False


def _normalise_recovery(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def new_recovery_codes(user: User) -> list[str]:
    """Ten new codes (the old ones stop working). Shown once; only keyed hashes are kept."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)  # 40 bits, 10 hex digits
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=tokens.keyed_digest(raw)))
    db.session.commit()
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    normal = _normalise_recovery(code)
    if not re.fullmatch(r"[0-9a-f]{10}", normal):
        return False
    found = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == tokens.keyed_digest(normal),
            RecoveryCode.used_at.is_(None),
        )
    )
    if found is None:
        return False
    found.used_at = utcnow()
    db.session.commit()
    return True


def recovery_codes_left(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def verify(user: User, code: str) -> str | None:
    """ "totp", "recovery" or None."""
    if check_totp(user, code):
        return "totp"
    if use_recovery_code(user, code):
        return "recovery"
    return None


def confirm_set_up(user: User, code: str) -> list[str] | None:
    """The first working code confirms the app is set up; gives the recovery codes."""
    if user.totp_secret is None or not check_totp(user, code):
        return None
    user.totp_confirmed_at = utcnow()
    db.session.commit()
    return new_recovery_codes(user)


def mark_done(sid: str | None) -> None:
    """This session has passed the second factor."""
    record = db.session.scalar(
        select(SignInSession).where(SignInSession.token_hash == tokens.digest(sid or ""))
    )
    if record is not None:
        record.second_factor_done = True
        db.session.commit()


def reset(member: User, by: User) -> None:
    """A manager resets a team member's second factor: the member sets it up again at their
    next sign-in. Every session of theirs ends, and the reset is recorded."""
    member.totp_secret = None
    member.totp_confirmed_at = None
    member.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == member.id))
    passkeys.remove_all(member)
    db.session.add(SecurityEvent(user_id=member.id, actor_id=by.id, kind="second_factor_reset"))
    db.session.commit()
    sessions.end_all(member.id)


def events_for(member: User) -> list[SecurityEvent]:
    return list(
        db.session.scalars(
            select(SecurityEvent)
            .where(SecurityEvent.user_id == member.id)
            .order_by(SecurityEvent.created_at.desc())
        )
    )


def set_demo(user: User) -> None:
    """Demo accounts only: the documented shared secret, already set up."""
    _store_secret(user, demo_secret())
    user.totp_confirmed_at = utcnow()


def team_members(manager: User) -> list[User]:
    """The staff of the manager's team (whose second check the manager may reset)."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.team_id == manager.team_id,
                User.role.in_([Role.KEY_WORKER, Role.MANAGER]),
                User.active.is_(True),
            )
            .order_by(User.name)
        )
    )


def team_member(manager: User, user_id: int) -> User | None:
    return next((u for u in team_members(manager) if u.id == user_id), None)
