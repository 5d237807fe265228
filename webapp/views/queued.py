"""What a person wrote with no signal, sent later from the phone's queue (IndexedDB, see
static/src/js/outbox.js): a message or a check-in. The client key makes the server store each
one once."""

from __future__ import annotations

from flask import jsonify, request


def from_queue() -> bool:
    return request.headers.get("X-MKW-Queued") == "1"


def saved(**extra: str):
    """The one answer that lets the outbox delete a queued item: anything else (a redirect to the
    sign-in page, 401, 403, a CSRF failure, a server error) keeps it on the phone."""
    return jsonify(saved=True, **extra), 201
