"""Telling people something is waiting, without saying what: web push first, email as the
fallback. Everything goes through the outbox, so a failure is kept and retried, never lost."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from pywebpush import WebPushException, webpush
from sqlalchemy import select

from ..extensions import db
from ..models import (
    Conversation,
    ConversationRead,
    Message,
    OutboxItem,
    PushSubscription,
    User,
    utcnow,
)

PUSH_TTL = 24 * 3600  # a phone that is off for a day still gets it
RETRY_AFTER = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
]
MAX_ATTEMPTS = 8


def subscribe(user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    found = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if found is None:
        found = PushSubscription(endpoint=endpoint, user_id=user.id, p256dh=p256dh, auth=auth)
        db.session.add(found)
    else:  # the browser moved the subscription to whoever is signed in now
        found.user_id, found.p256dh, found.auth = user.id, p256dh, auth
    db.session.commit()
    return found


def unsubscribe(user: User, endpoint: str) -> None:
    found = db.session.scalar(
        select(PushSubscription).where(
            PushSubscription.endpoint == endpoint, PushSubscription.user_id == user.id
        )
    )
    if found is not None:
        db.session.delete(found)
        db.session.commit()


def subscriptions_of(user: User) -> list[PushSubscription]:
    return list(
        db.session.scalars(select(PushSubscription).where(PushSubscription.user_id == user.id))
    )


def queue_new_message(recipient: User) -> None:
    """One push per device of the recipient. The caller commits."""
    for subscription in subscriptions_of(recipient):
        db.session.add(
            OutboxItem(kind="push", user_id=recipient.id, subscription_id=subscription.id)
        )


@contextmanager
def in_language_of(user: User):
    """Words in the person's language, outside a request (pushes are sent after one ends)."""
    language = (user.preferences.language if user.preferences else None) or "en"
    with current_app.test_request_context(), force_locale(language):
        yield


def payload(user: User) -> str:
    """Never the message or any health detail: only that something is waiting."""
    with in_language_of(user):
        return json.dumps(
            {"title": _("My Key Worker"), "body": _("You have a new message from your key worker"),
             "url": "/messages/"}, ensure_ascii=False,
        )  # fmt: skip


def _send_push(item: OutboxItem) -> None:
    cfg = current_app.config
    subscription = (
        db.session.get(PushSubscription, item.subscription_id) if item.subscription_id else None
    )
    if subscription is None:
        item.gave_up_at, item.last_error = utcnow(), "the subscription is gone"
        return
    user = db.session.get(User, item.user_id)
    try:
        webpush(
            {"endpoint": subscription.endpoint,
             "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
            data=payload(user),
            vapid_private_key=cfg["VAPID_PRIVATE_KEY"],
            vapid_claims={"sub": cfg["VAPID_SUBJECT"]},  # a new dict: pywebpush writes into it
            ttl=PUSH_TTL,
            headers={"Urgency": "high"},
            timeout=cfg["PUSH_TIMEOUT"],
        )  # fmt: skip
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in (404, 410):  # the browser threw the subscription away
            db.session.delete(subscription)
            item.subscription_id = None
            item.gave_up_at, item.last_error = utcnow(), f"subscription gone ({status})"
            return
        raise
    subscription.last_success_at = utcnow()
    item.sent_at = utcnow()


def _send_email(item: OutboxItem) -> None:
    from .. import notify

    user = db.session.get(User, item.user_id)
    base = current_app.config.get("BASE_URL") or "http://localhost"
    with in_language_of(user):
        notify.send_email(
            user.email,
            _("You have a new message in My Key Worker"),
            _(
                "Hello %(name)s,\n\nYou have a new message from your key working team.\n"
                "Sign in to read it: %(link)s\n\nMessages are not for emergencies. If you are "
                "not safe now, call 999. For urgent help, call NHS 111 and choose option 2.",
                name=user.name,
                link=base.rstrip("/") + "/messages/",
            ),
        )
    item.sent_at = utcnow()


def send_pending(limit: int = 50) -> dict[str, int]:
    """Try everything that is due. Failures stay in the outbox with a later retry time."""
    now = utcnow()
    due = list(
        db.session.scalars(
            select(OutboxItem)
            .where(
                OutboxItem.sent_at.is_(None),
                OutboxItem.gave_up_at.is_(None),
                OutboxItem.next_attempt_at <= now,
            )
            .order_by(OutboxItem.next_attempt_at, OutboxItem.id)
            .limit(limit)
        )
    )
    counts = {"sent": 0, "failed": 0, "gone": 0}
    for item in due:
        item.attempts += 1
        try:
            (_send_push if item.kind == "push" else _send_email)(item)
        except Exception as exc:  # a network error or timeout: keep it for later
            item.last_error = type(exc).__name__[:300]
            if item.attempts >= MAX_ATTEMPTS:
                item.gave_up_at = utcnow()
            else:
                item.next_attempt_at = now + RETRY_AFTER[min(item.attempts, len(RETRY_AFTER)) - 1]
            counts["failed"] += 1
        else:
            counts["sent" if item.sent_at else "gone"] += 1
        db.session.commit()
    return counts


def queue_unread_emails(wait: timedelta) -> int:
    """Email family members whose newest unread message is older than `wait`, who want email,
    and who have no push subscription that worked. One email per unread message."""
    now = utcnow()
    queued = 0
    for conversation in db.session.scalars(select(Conversation)).all():
        member = db.session.get(User, conversation.member_id)
        if not member.preferences.email_when_unread:
            continue
        read = db.session.get(ConversationRead, (conversation.id, member.id))
        newest = db.session.scalar(
            select(Message)
            .where(
                Message.conversation_id == conversation.id,
                Message.author_id.is_not(None),
                Message.author_id != member.id,
            )
            .order_by(Message.created_at.desc())
            .limit(1)
        )
        if newest is None or (read and read.read_at >= newest.created_at):
            continue
        if newest.created_at > now - wait:
            continue
        if any(s.last_success_at for s in subscriptions_of(member)):
            continue
        key = f"email-unread-{newest.id}"
        if db.session.scalar(select(OutboxItem.id).where(OutboxItem.dedupe_key == key)):
            continue
        db.session.add(OutboxItem(kind="email", user_id=member.id, dedupe_key=key))
        queued += 1
    db.session.commit()
    return queued
