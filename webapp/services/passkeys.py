"""Passkeys (WebAuthn), with the `webauthn` package.

A passkey is a key pair made by the person's phone (or password manager); we keep only the
public key. Every sign-in answers a fresh challenge from us, signed by the phone after its
own screen lock (user verification is required), for our address only (the RP ID and origin
come from BASE_URL). Each challenge is kept server-side as a hash, works once and for 5
minutes, and is tied to the browser that asked for it (the caller keeps it in the session).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import delete, select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import parse_authentication_credential_json, parse_client_data_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ..extensions import db
from ..models import Passkey, PasskeyChallenge, SecurityEvent, User, utcnow
from .devices import device_name

RP_NAME = "My Key Worker"
CHALLENGE_LIFETIME = timedelta(minutes=5)
MOST_PER_PERSON = 10
# Anything a broken or hostile browser can send that the package cannot read.
_BAD = (WebAuthnException, ValueError, TypeError, KeyError, binascii.Error, json.JSONDecodeError)


def rp_id() -> str:
    return urlsplit(current_app.config["BASE_URL"] or "").hostname or "localhost"


def origin() -> str:
    parts = urlsplit(current_app.config["BASE_URL"] or "")
    return f"{parts.scheme}://{parts.netloc}"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    if not isinstance(text, str) or len(text) > 4096:
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def for_user(user: User) -> list[Passkey]:
    return list(
        db.session.scalars(
            select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.created_at)
        )
    )


def has_any(user: User) -> bool:
    found = db.session.scalar(select(Passkey.id).where(Passkey.user_id == user.id).limit(1))
    return found is not None


# Challenges ---------------------------------------------------------------------------------


def _new_challenge(purpose: str, user: User | None) -> bytes:
    now = utcnow()
    db.session.execute(delete(PasskeyChallenge).where(PasskeyChallenge.expires_at <= now))
    challenge = secrets.token_bytes(32)
    db.session.add(
        PasskeyChallenge(
            challenge_hash=hashlib.sha256(challenge).hexdigest(),
            purpose=purpose,
            user_id=user.id if user else None,
            expires_at=now + CHALLENGE_LIFETIME,
        )
    )
    db.session.commit()
    return challenge


def _take_challenge(challenge_b64: str | None, purpose: str, user: User | None) -> bytes | None:
    """The challenge this browser was given, once: it is deleted as it is used."""
    try:
        challenge = unb64(challenge_b64 or "")
    except _BAD:
        return None
    row = db.session.scalar(
        select(PasskeyChallenge).where(
            PasskeyChallenge.challenge_hash == hashlib.sha256(challenge).hexdigest()
        )
    )
    if row is None:
        return None
    db.session.delete(row)
    db.session.commit()
    if (
        row.purpose != purpose
        or row.expires_at <= utcnow()
        or row.user_id != (user.id if user else None)
    ):
        return None
    return challenge


# Adding a passkey -----------------------------------------------------------------------------


def _handle(user: User) -> bytes:
    """A random WebAuthn user id, the same for all of a person's passkeys."""
    if user.passkey_handle is None:
        user.passkey_handle = secrets.token_bytes(32)
        db.session.commit()
    return user.passkey_handle


def registration_options(user: User) -> tuple[dict, str]:
    """What the browser needs to make a passkey, and the challenge to keep in the session."""
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=RP_NAME,
        user_name=user.email,
        user_id=_handle(user),
        user_display_name=user.name,
        challenge=_new_challenge("register", user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=p.credential_id) for p in for_user(user)
        ],
    )
    return json.loads(options_to_json(options)), b64(options.challenge)


def register(
    user: User, credential: object, challenge_b64: str | None, user_agent: str | None
) -> Passkey | None:
    """Checks the browser's answer and keeps the public key. None if anything is wrong."""
    challenge = _take_challenge(challenge_b64, "register", user)
    if challenge is None or not isinstance(credential, dict):
        return None
    if len(for_user(user)) >= MOST_PER_PERSON:
        return None
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origin(),
            require_user_verification=True,
        )
    except _BAD:
        return None
    if db.session.scalar(select(Passkey.id).where(Passkey.credential_id == verified.credential_id)):
        return None
    passkey = Passkey(
        user_id=user.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=device_name(user_agent),
    )
    db.session.add(passkey)
    db.session.add(SecurityEvent(user_id=user.id, actor_id=user.id, kind="passkey_added"))
    db.session.commit()
    return passkey


def remove(user: User, passkey_id: int) -> bool:
    """A person removes one of their own passkeys. False if it is not theirs."""
    found = db.session.scalar(
        select(Passkey).where(Passkey.id == passkey_id, Passkey.user_id == user.id)
    )
    if found is None:
        return False
    db.session.delete(found)
    db.session.add(SecurityEvent(user_id=user.id, actor_id=user.id, kind="passkey_removed"))
    db.session.commit()
    return True


def remove_all(member: User) -> None:
    """A manager's reset of a second factor takes the passkeys too."""
    db.session.execute(delete(Passkey).where(Passkey.user_id == member.id))


# Using a passkey ------------------------------------------------------------------------------


def authentication_options(user: User | None, purpose: str) -> tuple[dict, str]:
    """`user` None: sign-in from the sign-in page, any passkey of ours on the phone (the
    phone shows the accounts it has: no email typed). Otherwise only that person's passkeys."""
    allow = None
    if user is not None:
        allow = [PublicKeyCredentialDescriptor(id=p.credential_id) for p in for_user(user)]
    options = generate_authentication_options(
        rp_id=rp_id(),
        challenge=_new_challenge(purpose, user),
        allow_credentials=allow,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return json.loads(options_to_json(options)), b64(options.challenge)


class AccountSwitchedOff(Exception):
    """The passkey is right, but a manager switched the account off."""


def authenticate(
    credential: object, challenge_b64: str | None, purpose: str, user: User | None
) -> User | None:
    """The person whose passkey signed our challenge, or None. With `user`, the passkey must be
    theirs (a passkey of someone else cannot unlock or pass this person's second check)."""
    challenge = _take_challenge(challenge_b64, purpose, user)
    if challenge is None or not isinstance(credential, dict):
        return None
    try:
        parsed = parse_authentication_credential_json(credential)
        parse_client_data_json(parsed.response.client_data_json)
    except _BAD:
        return None
    passkey = db.session.scalar(select(Passkey).where(Passkey.credential_id == parsed.raw_id))
    if passkey is None or (user is not None and passkey.user_id != user.id):
        return None
    owner = db.session.get(User, passkey.user_id)
    if owner is None:
        return None
    handle = parsed.response.user_handle
    if (handle is None and user is None) or (handle is not None and handle != owner.passkey_handle):
        return None
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origin(),
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        )
    except _BAD:
        return None
    if not owner.active:  # told only to someone who proved they hold the passkey
        raise AccountSwitchedOff
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    db.session.commit()
    return owner
