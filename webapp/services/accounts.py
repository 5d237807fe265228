"""Accounts: sign-in with lockout, invitations, password resets, personal settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from ..extensions import db
from ..models import (
    DsrRating,
    Invitation,
    OutboxItem,
    PasswordReset,
    Preferences,
    Role,
    SignInThrottle,
    User,
    utcnow,
)
from . import passwords, sessions, tokens  # noqa: F401 (sessions: its flush hook)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_id(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


@dataclass(frozen=True)
class SignInResult:
    user: User | None = None
    # Set when this address must wait before the next try: the time it may try again.
    wait_until: datetime | None = None
    # True when the try came too soon and the password was not even checked.
    too_soon: bool = False
    # True when the password is right but a manager switched the account off.
    switched_off: bool = False


def delay_after(failures: int) -> timedelta:
    """Progressive delays, never a long lock: the first few mistakes cost nothing, then each
    one doubles the wait (1 s, 2 s, 4 s …) up to SIGN_IN_MAX_DELAY. An attacker gets a few
    hundred guesses a day at most (and fewer per network address, see SIGN_IN_RATE_LIMIT),
    but cannot lock the real person out for more than a few minutes, and a new password
    through "I forgot my password" clears the wait at once."""
    cfg = current_app.config
    extra = failures - cfg["SIGN_IN_FREE_FAILURES"]
    if extra < 0:
        return timedelta(0)
    return min(timedelta(seconds=2**extra), cfg["SIGN_IN_MAX_DELAY"])


def sign_in(email: str, password: str) -> SignInResult:
    """Check a password, counting failures per address whether or not it has an account (so a
    wait never reveals that an account exists)."""
    now = utcnow()
    address = normalise_email(email)
    key = tokens.keyed_digest(address)
    throttle = db.session.get(SignInThrottle, key)
    if throttle and throttle.locked_until and throttle.locked_until > now:
        return SignInResult(wait_until=throttle.locked_until, too_soon=True)

    user = user_by_email(address)
    ok, rehashed = passwords.verify_password(user.password_hash if user else None, password)
    if ok and user is not None and not user.active:
        # Told only to someone who knows the password: not a failure to count.
        return SignInResult(switched_off=True)
    if ok and user is not None:
        if throttle:
            db.session.delete(throttle)
        if rehashed:
            # The same password with newer parameters: an UPDATE that does not count as a
            # password change (which would end every session of the person).
            db.session.execute(
                update(User).where(User.id == user.id).values(password_hash=rehashed)
            )
        user.last_signed_in_at = now
        db.session.commit()
        return SignInResult(user=user)

    if throttle is None:
        throttle = SignInThrottle(email_digest=key, failures=0)
        db.session.add(throttle)
    throttle.failures += 1
    throttle.updated_at = now
    delay = delay_after(throttle.failures)
    throttle.locked_until = now + delay if delay else None
    db.session.commit()
    return SignInResult(wait_until=throttle.locked_until)


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
) -> Invitation:
    invitation = Invitation(
        token_hash=_unusable_hash(),
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
    db.session.flush()
    # The link is made when the email is sent, from the outbox (see services/push.py).
    db.session.add(OutboxItem(kind="invite", user_id=None, ref_id=invitation.id))
    db.session.commit()
    return invitation


def _unusable_hash() -> str:
    """A placeholder until the email is sent: the hash of a token nobody ever sees."""
    return tokens.new_token()[1]


def issue_invitation_link(invitation: Invitation) -> str | None:
    """A new token for the invitation, when its email is sent (each retry makes a new one, so
    only the latest email works). None if the invitation is used or out of date."""
    if invitation.accepted_at is not None or invitation.expires_at <= utcnow():
        return None
    token, invitation.token_hash = tokens.new_token()
    return token


def issue_reset_link(reset: PasswordReset) -> str | None:
    if reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    token, reset.token_hash = tokens.new_token()
    return token


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
    now = utcnow()
    # Every other invitation to this address is dead now, older or newer.
    for other in db.session.scalars(
        select(Invitation).where(
            Invitation.email == invitation.email, Invitation.accepted_at.is_(None)
        )
    ):
        other.accepted_at = now
    invitation.user_id = user.id
    db.session.commit()
    return user


# Password reset ------------------------------------------------------------------------


def create_password_reset(email: str) -> None:
    """Queue a reset email when the address has an active account. Nothing is sent here, so
    the request takes the same time whether or not the address has an account; the caller
    says the same thing either way."""
    user = user_by_email(email)
    if user is None or not user.active:
        # The same kind of write as for a real account, so both take the same time. The
        # sender drops it (nothing to send, no address kept).
        db.session.add(OutboxItem(kind="reset", user_id=None, ref_id=None))
        db.session.commit()
        return
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    reset = PasswordReset(
        token_hash=_unusable_hash(), user_id=user.id, expires_at=utcnow() + timedelta(hours=hours)
    )
    db.session.add(reset)
    db.session.flush()
    db.session.add(OutboxItem(kind="reset", user_id=user.id, ref_id=reset.id))
    db.session.commit()


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
    user = db.session.get_one(User, reset.user_id)
    if user.password_changed_at and reset.created_at < user.password_changed_at:
        raise TokenProblem("used")  # the password changed since this link was made
    return reset


def reset_password(token: str, password: str) -> User:
    reset = password_reset_for_token(token)
    user = db.session.get_one(User, reset.user_id)
    set_password(user, password)
    now = utcnow()
    # Every other reset link of this person is dead now, older or newer.
    for other in db.session.scalars(
        select(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
        )
    ):
        other.used_at = now
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
