"""Random single-use tokens for emailed links; only a hash is kept in the database."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, digest(token)


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def keyed_digest(value: str) -> str:
    """A digest that cannot be reversed by guessing, for values such as email addresses."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
