"""Server-side sessions: the cookie carries a random id, the database keeps only its hash.

Deleting a row signs that browser out at once, so a copied cookie is dead after sign-out.
Nothing here looks at the network address: a phone that moves from wifi to mobile data
stays signed in. A change of user agent does not sign anyone out either (see the README).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, event, inspect, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import SignInSession, User, utcnow
from . import tokens
from .devices import device_name

# How often "last used" is written: often enough for the staff idle timeout and the list of
# devices, rare enough that reading pages does not write to the database every time.
TOUCH_EVERY = timedelta(seconds=60)


def _digest(sid: str) -> str:
    return tokens.digest(sid)


def start(user: User, user_agent: str | None) -> str:
    """A new session for a person who has just proved who they are. Returns the cookie's id."""
    from . import second_factor

    sid = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        SignInSession(
            second_factor_done=not second_factor.needed(user),
            token_hash=_digest(sid),
            user_id=user.id,
            device_name=device_name(user_agent),
            created_at=now,
            last_used_at=now,
            expires_at=now + current_app.config["PERMANENT_SESSION_LIFETIME"],
        )
    )
    db.session.commit()
    return sid


@dataclass(frozen=True)
class Resolved:
    user: User | None
    # "ok", "gone" (signed out, ended, expired or unknown) or "idle" (staff idle timeout)
    state: str
    session: SignInSession | None = None


def resolve(sid: str | None, user_id: int) -> Resolved:
    if not sid:
        return Resolved(None, "gone")
    now = utcnow()
    row = db.session.execute(
        select(SignInSession, User)
        .join(User, User.id == SignInSession.user_id)
        .where(SignInSession.token_hash == _digest(sid))
    ).first()
    if row is None:
        return Resolved(None, "gone")
    record, user = row
    if record.user_id != user_id or not user.active:
        return Resolved(None, "gone")
    if record.expires_at <= now:
        _delete(record)
        return Resolved(None, "gone")
    cfg = current_app.config
    if user.role.is_staff and now - record.last_used_at > cfg["STAFF_IDLE_TIMEOUT"]:
        _delete(record)
        return Resolved(None, "idle")
    changed = False
    idle_for = now - record.last_used_at
    if record.keep_signed_in and not record.locked and idle_for > cfg["KEEP_SIGNED_IN_IDLE"]:
        # Kept until the PIN (or a passkey) is given, whatever page is asked for next.
        record.locked = True
        changed = True
    if now - record.last_used_at >= TOUCH_EVERY:
        record.last_used_at = now
        if record.keep_signed_in:
            record.expires_at = now + cfg["KEEP_SIGNED_IN_FOR"]
        changed = True
    if changed:
        db.session.commit()
    return Resolved(user, "ok", record)


# Keep me signed in on this phone ------------------------------------------------------------


def can_keep(user: User) -> bool:
    """Young people and carers only: staff and reviewers see other people's data and are
    always signed out after their idle timeout."""
    return user.role.is_family and user.active


def keep_signed_in(record: SignInSession, user: User, pin: str) -> None:
    """This phone stays signed in for 90 days from its last use, behind the PIN."""
    from .passwords import hash_password

    if not can_keep(user) or record.user_id != user.id:
        raise PermissionError("only a family member's own session can be kept")
    now = utcnow()
    record.keep_signed_in = True
    record.pin_hash = hash_password(pin)
    record.pin_failures = 0
    record.locked = False
    record.last_used_at = now
    record.expires_at = now + current_app.config["KEEP_SIGNED_IN_FOR"]
    db.session.commit()


def check_pin(record: SignInSession, pin: str) -> str:
    """ "ok" (unlocked), "wrong" (tries left) or "ended" (too many wrong PINs: the session
    is deleted, so the password is needed again)."""
    from .passwords import verify_password

    matches, _new_hash = verify_password(record.pin_hash, pin) if record.pin_hash else (False, None)
    if matches:
        unlock(record)
        return "ok"
    record.pin_failures += 1
    if record.pin_failures >= current_app.config["PIN_TRIES"]:
        _delete(record)
        return "ended"
    db.session.commit()
    return "wrong"


def tries_left(record: SignInSession) -> int:
    return max(0, current_app.config["PIN_TRIES"] - record.pin_failures)


def unlock(record: SignInSession) -> None:
    """The PIN or a passkey was given: open again, and the count of wrong PINs starts over."""
    record.locked = False
    record.pin_failures = 0
    record.last_used_at = utcnow()
    db.session.commit()


def record_for(sid: str | None) -> SignInSession | None:
    if not sid:
        return None
    return db.session.scalar(select(SignInSession).where(SignInSession.token_hash == _digest(sid)))


def _delete(record: SignInSession) -> None:
    db.session.delete(record)
    db.session.commit()


def end(sid: str | None) -> None:
    """Sign-out: the record goes, so the cookie (and every copy of it) is dead."""
    if not sid:
        return
    db.session.execute(delete(SignInSession).where(SignInSession.token_hash == _digest(sid)))
    db.session.commit()


def for_user(user: User) -> list[SignInSession]:
    """The places a person is signed in, most recently used first (expired ones left out)."""
    return list(
        db.session.scalars(
            select(SignInSession)
            .where(SignInSession.user_id == user.id, SignInSession.expires_at > utcnow())
            .order_by(SignInSession.last_used_at.desc(), SignInSession.id.desc())
        )
    )


def end_one(user: User, session_id: int) -> bool:
    """Sign out one of the person's own devices. False if it is not theirs (or gone)."""
    result = db.session.execute(
        delete(SignInSession).where(
            SignInSession.id == session_id, SignInSession.user_id == user.id
        )
    )
    db.session.commit()
    return (result.rowcount or 0) > 0  # type: ignore[attr-defined]  # a DML result has it


def end_all(user_id: int, *, keep_sid: str | None = None) -> int:
    """Every session of a person, or every one but the browser they are using now."""
    stmt = delete(SignInSession).where(SignInSession.user_id == user_id)
    if keep_sid:
        stmt = stmt.where(SignInSession.token_hash != _digest(keep_sid))
    result = db.session.execute(stmt)
    db.session.commit()
    return result.rowcount  # type: ignore[attr-defined]  # a DML result has it


def is_current(record: SignInSession, sid: str | None) -> bool:
    return sid is not None and record.token_hash == _digest(sid)


def queue_owner(user: User) -> str:
    """A tag for messages written offline on this phone, so app.js sends them only when the
    same person is signed in. Keyed, so it says nothing about who the person is."""
    return tokens.keyed_digest(f"offline-queue-owner:{user.id}")[:32]


def delete_expired() -> int:
    result = db.session.execute(delete(SignInSession).where(SignInSession.expires_at <= utcnow()))
    db.session.commit()
    return result.rowcount  # type: ignore[attr-defined]  # a DML result has it


# A new password, a new role or an account switched off ends every session of that person,
# whichever code makes the change: it is checked on every flush, not in each service.
_ENDS_SESSIONS = ("password_hash", "role", "active")


@event.listens_for(Session, "before_flush")
def _end_sessions_on_account_change(session: Session, _context, _instances) -> None:
    changed = set()
    for obj in session.dirty:
        if not isinstance(obj, User):
            continue
        state = inspect(obj)
        if any(state.attrs[name].history.has_changes() for name in _ENDS_SESSIONS):
            changed.add(obj.id)
    if changed:
        session.connection().execute(
            delete(SignInSession).where(SignInSession.user_id.in_(changed))
        )
