"""Accounts: sign-in with lockout, invitations, password resets, personal settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import (
    DsrRating,
    Invitation,
    PasswordReset,
    Preferences,
    Role,
    SignInThrottle,
    User,
    utcnow,
)
from . import passwords, tokens


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_id(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


@dataclass(frozen=True)
class SignInResult:
    user: User | None = None
    locked_until: datetime | None = None


def sign_in(email: str, password: str) -> SignInResult:
    """Check a password, counting failures per address whether or not it has an account."""
    cfg = current_app.config
    now = utcnow()
    address = normalise_email(email)
    key = tokens.keyed_digest(address)
    throttle = db.session.get(SignInThrottle, key)
    if throttle and throttle.locked_until and throttle.locked_until > now:
        return SignInResult(locked_until=throttle.locked_until)

    user = user_by_email(address)
    ok, rehashed = passwords.verify_password(user.password_hash if user else None, password)
    if ok and user is not None and user.active:
        if throttle:
            db.session.delete(throttle)
        if rehashed:
            user.password_hash = rehashed
        user.last_signed_in_at = now
        db.session.commit()
        return SignInResult(user=user)

    if throttle is None:
        throttle = SignInThrottle(email_digest=key, failures=0)
        db.session.add(throttle)
    throttle.failures += 1
    throttle.updated_at = now
    locked_until = None
    if throttle.failures >= cfg["SIGN_IN_MAX_FAILURES"]:
        locked_until = now + timedelta(minutes=cfg["SIGN_IN_LOCK_MINUTES"])
        throttle.locked_until = locked_until
        throttle.failures = 0
    db.session.commit()
    return SignInResult(locked_until=locked_until)


def set_password(user: User, password: str) -> None:
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = utcnow()


def create_user(
    *,
    email: str,
    name: str,
    role: Role,
    password: str | None = None,
    team_id: int | None = None,
    date_of_birth: date | None = None,
    language: str | None = None,
) -> User:
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        role=role,
        team_id=team_id,
        date_of_birth=date_of_birth,
        preferences=Preferences(language=language, **default_preferences(role)),
    )
    if password:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def default_preferences(role: Role) -> dict:
    """Families start in easy read with pictures; staff start in the compact standard layout."""
    from ..models import Layout

    return {"layout": Layout.EASY_READ if role.is_family else Layout.STANDARD}


# Invitations ---------------------------------------------------------------------------


def create_invitation(
    *,
    invited_by: User,
    email: str,
    name: str,
    role: Role,
    team_id: int | None,
    case_id: int | None = None,
    date_of_birth: date | None = None,
    dsr_rating: DsrRating | None = None,
) -> tuple[Invitation, str]:
    token, token_hash = tokens.new_token()
    invitation = Invitation(
        token_hash=token_hash,
        email=normalise_email(email),
        name=name.strip(),
        role=role,
        team_id=team_id,
        case_id=case_id,
        date_of_birth=date_of_birth,
        dsr_rating=dsr_rating,
        invited_by_id=invited_by.id,
        expires_at=utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"]),
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation, token


class TokenProblem(Exception):
    """The link is unknown, used or out of date. `reason` is one of those words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def invitation_for_token(token: str) -> Invitation:
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == tokens.digest(token))
    )
    if invitation is None:
        raise TokenProblem("unknown")
    if invitation.accepted_at is not None:
        raise TokenProblem("used")
    if invitation.expires_at <= utcnow():
        raise TokenProblem("expired")
    return invitation


def accept_invitation(token: str, password: str) -> User:
    invitation = invitation_for_token(token)
    if user_by_email(invitation.email) is not None:
        # The address already has an account: the invitation cannot make a second one.
        raise TokenProblem("used")
    user = create_user(
        email=invitation.email,
        name=invitation.name,
        role=invitation.role,
        password=password,
        team_id=invitation.team_id if invitation.role.is_staff else None,
        date_of_birth=invitation.date_of_birth,
    )
    from . import cases

    if invitation.role is Role.CARER and invitation.case_id is not None:
        cases.link_carer(invitation.case_id, user)
    elif invitation.role is Role.YOUNG_PERSON and invitation.team_id is not None:
        rating = DsrRating(invitation.dsr_rating) if invitation.dsr_rating else DsrRating.GREEN
        cases.open_case(user, invitation.team_id, rating)
    invitation.accepted_at = utcnow()
    invitation.user_id = user.id
    db.session.commit()
    return user


# Password reset ------------------------------------------------------------------------


def create_password_reset(email: str) -> tuple[User, str] | None:
    """None when the address has no active account; the caller says the same thing either way."""
    user = user_by_email(email)
    if user is None or not user.active:
        return None
    token, token_hash = tokens.new_token()
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(
        PasswordReset(
            token_hash=token_hash, user_id=user.id, expires_at=utcnow() + timedelta(hours=hours)
        )
    )
    db.session.commit()
    return user, token


def password_reset_for_token(token: str) -> PasswordReset:
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == tokens.digest(token))
    )
    if reset is None:
        raise TokenProblem("unknown")
    if reset.used_at is not None:
        raise TokenProblem("used")
    if reset.expires_at <= utcnow():
        raise TokenProblem("expired")
    return reset


def reset_password(token: str, password: str) -> User:
    reset = password_reset_for_token(token)
    user = db.session.get(User, reset.user_id)
    set_password(user, password)
    reset.used_at = utcnow()
    # A new password also lifts a lock on the address.
    throttle = db.session.get(SignInThrottle, tokens.keyed_digest(user.email))
    if throttle:
        db.session.delete(throttle)
    db.session.commit()
    return user


# Settings -----------------------------------------------------------------------------


def update_preferences(user: User, **values) -> Preferences:
    prefs = user.preferences
    if prefs is None:
        prefs = user.preferences = Preferences(**default_preferences(user.role))
    for key, value in values.items():
        setattr(prefs, key, value)
    db.session.commit()
    return prefs
