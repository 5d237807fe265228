"""Telling people something is waiting, without saying what: web push first, email as the
fallback. Everything goes through the outbox, so a failure is kept and retried, never lost."""

from __future__ import annotations

import json
import secrets
import time
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from pywebpush import WebPushException, webpush
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

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


def retry_after(attempts: int) -> timedelta:
    """Exponential backoff with a cap: NOTIFY_RETRY_BASE, twice that, four times… at most
    NOTIFY_RETRY_CAP (defaults 1 minute, then 2, 4, 8 … up to 2 hours)."""
    cfg = current_app.config
    base, cap = cfg["NOTIFY_RETRY_BASE"], cfg["NOTIFY_RETRY_CAP"]
    return min(base * (2 ** max(attempts - 1, 0)), cap)


class SubscriptionTaken(Exception):
    """The endpoint belongs to another person: nobody else can replace or delete it."""


def endpoint_allowed(endpoint: str) -> bool:
    """Only a known web push service, over https on the usual port: the server must never be
    made to call an address on its own network. (Tests add 127.0.0.1, over http, for the push
    service they run.)"""
    cfg = current_app.config
    if not isinstance(endpoint, str) or len(endpoint) > 1000:
        return False
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        return False
    if not any(
        host == known or (known.startswith(".") and host.endswith(known))
        for known in cfg["PUSH_SERVICE_HOSTS"]
    ):
        return False
    if parts.scheme == "https":
        return port in (None, 443)
    return parts.scheme == "http" and cfg["ENV"] == "test" and host == "127.0.0.1"


def subscribe(user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep (or refresh) this device's subscription for this person, and at most
    PUSH_SUBSCRIPTIONS_PER_PERSON of them: a new one replaces the oldest."""
    found = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if found is not None and found.user_id != user.id:
        raise SubscriptionTaken(endpoint)
    if found is not None:
        found.p256dh, found.auth = p256dh, auth
        db.session.commit()
        return found
    keep = current_app.config["PUSH_SUBSCRIPTIONS_PER_PERSON"] - 1
    existing = db.session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id == user.id)
        .order_by(PushSubscription.created_at.desc(), PushSubscription.id.desc())
    ).all()
    for old in existing[keep:]:
        db.session.delete(old)
    found = PushSubscription(endpoint=endpoint, user_id=user.id, p256dh=p256dh, auth=auth)
    db.session.add(found)
    try:
        db.session.commit()
    except IntegrityError as exc:  # the same endpoint, subscribed at the same moment
        db.session.rollback()
        raise SubscriptionTaken(endpoint) from exc
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
    """One push per device of the recipient (none to an account switched off). The caller
    commits."""
    if not recipient.active:
        return
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


# Outbox items about What happens next carry one of these as their `topic`.
NEXT_CHANGED = "next-changed"
NEXT_REMINDER = "next-reminder"


def _next_words(topic: str | None) -> tuple[str, str] | None:
    """The push body and the email subject for What happens next (no health details)."""
    if topic == NEXT_CHANGED:
        return _("Something has changed in What happens next"), _(
            "Something has changed in What happens next"
        )
    if topic == NEXT_REMINDER:
        return _("Reminder: you have something coming up. Open What happens next to see it."), _(
            "Reminder from My Key Worker"
        )
    return None


def payload(user: User, topic: str | None = None) -> str:
    """Never the message or any health detail: only that something is waiting."""
    with in_language_of(user):
        words = _next_words(topic)
        if words is not None:
            body, url = words[0], "/next/"
        elif topic == "urgent":  # staff: no name, no content
            body, url = _("Something urgent is waiting for you in My Key Worker"), "/staff/urgent"
        elif topic == "reminder":
            body, url = _("How are you today? You can check in now."), "/journal/"
        else:
            body, url = _("You have a new message from your key worker"), "/messages/"
        return json.dumps({"title": _("My Key Worker"), "body": body, "url": url},
                          ensure_ascii=False)  # fmt: skip


def queue_urgent(user: User | None, now, dedupe: str, email: str | None = None) -> None:
    """Push to every device of a member of staff, and an email, saying only that something
    urgent is waiting. `email` alone is a team's shared inbox. The caller commits."""
    if user is not None:
        for subscription in subscriptions_of(user):
            db.session.add(
                OutboxItem(kind="push", user_id=user.id, subscription_id=subscription.id,
                           topic="urgent", next_attempt_at=now)
            )  # fmt: skip
    db.session.add(
        OutboxItem(kind="email", user_id=user.id if user else None, to_email=email,
                   topic="urgent", next_attempt_at=now, dedupe_key=dedupe)
    )  # fmt: skip


def _send_push(item: OutboxItem) -> None:
    cfg = current_app.config
    subscription = (
        db.session.get(PushSubscription, item.subscription_id) if item.subscription_id else None
    )
    if subscription is None:
        item.gave_up_at, item.last_error = utcnow(), "the subscription is gone"
        return
    if not endpoint_allowed(subscription.endpoint):  # the list of push services changed
        item.gave_up_at, item.last_error = utcnow(), "not a known push service"
        return
    user = db.session.get_one(User, item.user_id)
    try:
        webpush(
            {"endpoint": subscription.endpoint,
             "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
            data=payload(user, item.topic),
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


def _base_url() -> str:
    """Emailed links start with BASE_URL (required in production), never a Host header."""
    return current_app.config["BASE_URL"].rstrip("/")


@contextmanager
def _in_language(language: str | None):
    with current_app.test_request_context(), force_locale(language or "en"):
        yield


def _send_reset(item: OutboxItem) -> None:
    from flask import url_for

    from .. import notify
    from ..models import PasswordReset
    from . import accounts

    reset = db.session.get(PasswordReset, item.ref_id) if item.ref_id else None
    token = accounts.issue_reset_link(reset) if reset else None
    if reset is None or token is None:
        item.gave_up_at, item.last_error = utcnow(), "the link is used or out of date"
        return
    user = db.session.get_one(User, reset.user_id)
    with in_language_of(user):
        notify.send_email(
            user.email,
            _("Choose a new password for My Key Worker"),
            _(
                "Hello %(name)s,\n\nUse this link to choose a new password:\n%(link)s\n\n"
                "The link works once, for %(hours)s hours.\n"
                "If you did not ask for this, you can ignore this email.",
                name=user.name,
                link=_base_url() + url_for("auth.open_reset", token=token),
                hours=current_app.config["PASSWORD_RESET_HOURS"],
            ),
        )
    item.sent_at = utcnow()


def _send_invitation(item: OutboxItem) -> None:
    from flask import url_for

    from .. import notify
    from ..models import Invitation
    from . import accounts

    invitation = db.session.get(Invitation, item.ref_id) if item.ref_id else None
    token = accounts.issue_invitation_link(invitation) if invitation else None
    if invitation is None or token is None:
        item.gave_up_at, item.last_error = utcnow(), "the link is used or out of date"
        return
    inviter = db.session.get_one(User, invitation.invited_by_id)
    with _in_language(None):
        notify.send_email(
            invitation.email,
            _("You are invited to My Key Worker"),
            _(
                "Hello %(name)s,\n\n%(inviter)s has invited you to My Key Worker, "
                "the NHS key working service.\n\nUse this link to choose your password:\n"
                "%(link)s\n\nThe link works once, for %(days)s days.",
                name=invitation.name,
                inviter=inviter.name,
                link=_base_url() + url_for("auth.open_invitation", token=token),
                days=current_app.config["INVITATION_DAYS"],
            ),
        )
    item.sent_at = utcnow()


def _send_email(item: OutboxItem) -> None:
    from .. import notify

    user = db.session.get(User, item.user_id) if item.user_id else None
    base = _base_url()
    if item.topic == "urgent":
        with in_language_of(user) if user else _english():
            notify.send_email(
                user.email if user else (item.to_email or ""),
                _("Something urgent is waiting in My Key Worker"),
                _(
                    "Hello,\n\nSomething urgent is waiting for you in My Key Worker.\n"
                    "Sign in to see it and to say you have seen it: %(link)s",
                    link=base + "/staff/urgent",
                ),
            )
        item.sent_at = utcnow()
        return
    user = db.session.get_one(User, item.user_id)
    with in_language_of(user):
        words = _next_words(item.topic)
        if words is not None:
            notify.send_email(
                user.email,
                words[1],
                _(
                    "Hello %(name)s,\n\n%(news)s\nSign in to see it: %(link)s\n\nIf you are "
                    "not safe now, call 999. For urgent help, call NHS 111 and choose option 2.",
                    name=user.name,
                    news=words[0],
                    link=base + "/next/",
                ),
            )
            item.sent_at = utcnow()
            return
        notify.send_email(
            user.email,
            _("You have a new message in My Key Worker"),
            _(
                "Hello %(name)s,\n\nYou have a new message from your key working team.\n"
                "Sign in to read it: %(link)s\n\nMessages are not for emergencies. If you are "
                "not safe now, call 999. For urgent help, call NHS 111 and choose option 2.",
                name=user.name,
                link=base + "/messages/",
            ),
        )
    item.sent_at = utcnow()


@contextmanager
def _english():
    with current_app.test_request_context(), force_locale("en"):
        yield


def _claimable(now):
    """Due, not sent, not given up, and nobody holds it (or their claim ran out)."""
    return (
        OutboxItem.sent_at.is_(None),
        OutboxItem.gave_up_at.is_(None),
        OutboxItem.next_attempt_at <= now,
        or_(OutboxItem.claimed_until.is_(None), OutboxItem.claimed_until < now),
    )


def due_ids(now=None, limit: int = 500) -> list[int]:
    """What could be sent now (for the queue: a job per row). Claims nothing."""
    now = now or utcnow()
    ids = db.session.scalars(
        select(OutboxItem.id)
        .where(*_claimable(now))
        .order_by(OutboxItem.next_attempt_at, OutboxItem.id)
        .limit(limit)
    ).all()
    db.session.rollback()  # end the read: nothing is held while jobs are queued
    return list(ids)


def claim(ids: list[int] | None = None, now=None, limit: int = 50) -> tuple[str, list[int]]:
    """Take rows to send, so that no other sender sends them: a conditional UPDATE that only
    changes rows nobody holds, committed before anything is sent.

    PostgreSQL: the rows are picked with SELECT … FOR UPDATE SKIP LOCKED, so two senders at
    the same moment take different rows without waiting; and the UPDATE's WHERE is checked
    again on the row as it is after the other's commit, so a row is never taken twice.
    SQLite: a sender's transaction begins with BEGIN IMMEDIATE (extensions.py), so claims are
    one at a time, and the same WHERE settles it."""
    now = now or utcnow()
    token = secrets.token_hex(16)
    lease = current_app.config["NOTIFY_LEASE"]
    pick = select(OutboxItem.id).where(*_claimable(now))
    if ids is not None:
        pick = pick.where(OutboxItem.id.in_(ids))
    pick = pick.order_by(OutboxItem.next_attempt_at, OutboxItem.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    chosen = list(db.session.scalars(pick))
    if chosen:
        db.session.execute(
            update(OutboxItem)
            .where(OutboxItem.id.in_(chosen), *_claimable(now))
            .values(claim_token=token, claimed_until=now + lease),
            execution_options={"synchronize_session": False},
        )
    db.session.commit()
    taken = list(
        db.session.scalars(
            select(OutboxItem.id).where(OutboxItem.claim_token == token).order_by(OutboxItem.id)
        )
    )
    return token, taken


def release(token: str) -> None:
    """Give back rows claimed but not tried (a budget ran out)."""
    db.session.execute(
        update(OutboxItem)
        .where(OutboxItem.claim_token == token, OutboxItem.sent_at.is_(None))
        .values(claim_token=None, claimed_until=None),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()


def _still_mine(item_id: int, token: str) -> bool:
    """Before the result is committed: the claim is still ours (it did not run out and get
    taken by another sender meanwhile). On PostgreSQL the row stays locked until the commit."""
    pick = select(OutboxItem.claim_token).where(OutboxItem.id == item_id)
    if db.session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update()
    with db.session.no_autoflush:
        return db.session.scalar(pick) == token


_SENDERS = {"push": "_send_push", "reset": "_send_reset", "invite": "_send_invitation"}


def _switched_off(item: OutboxItem) -> bool:
    user = db.session.get(User, item.user_id) if item.user_id else None
    return user is not None and not user.active


def deliver(item_id: int, token: str, now=None) -> str:
    """Send one claimed row; "sent", "gone" (nothing to send to), "failed" (a retry is due
    later) or "dead" (failed NOTIFY_MAX_ATTEMPTS times: the dead-letter list)."""
    now = now or utcnow()
    item = db.session.get(OutboxItem, item_id, populate_existing=True)
    if item is None or item.claim_token != token:
        db.session.rollback()
        return "skipped"
    item.attempts += 1
    result = "sent"
    try:
        if _switched_off(item):  # a manager switched the account off after this was queued
            item.gave_up_at, item.last_error = utcnow(), "the account is switched off"
        else:
            globals()[_SENDERS.get(item.kind, "_send_email")](item)
    except Exception as exc:  # a network error or timeout: keep it for later
        item.last_error = type(exc).__name__[:300]
        if item.attempts >= current_app.config["NOTIFY_MAX_ATTEMPTS"]:
            item.gave_up_at = item.dead_at = utcnow()
            result = "dead"
        else:
            item.next_attempt_at = now + retry_after(item.attempts)
            result = "failed"
    else:
        result = "sent" if item.sent_at else "gone"
    if not _still_mine(item_id, token):
        db.session.rollback()
        return "skipped"
    item.claim_token, item.claimed_until = None, None
    db.session.commit()
    return result


def send_pending(limit: int = 50, now=None, budget: float | None = None) -> dict[str, int]:
    """Claim what is due and send it. Failures stay in the outbox with a later retry time.
    With a budget (seconds), stop starting new sends once it is spent: the rest are given
    back for the next sender. Two runs at once never send the same row."""
    now = now or utcnow()
    started = time.monotonic()
    token, ids = claim(now=now, limit=limit)
    counts = {"sent": 0, "failed": 0, "gone": 0}
    for item_id in ids:
        if budget is not None and time.monotonic() - started > budget:
            break
        result = deliver(item_id, token, now)
        counts["failed" if result == "dead" else result] = (
            counts.get("failed" if result == "dead" else result, 0) + 1
        )
    release(token)
    return {k: counts[k] for k in ("sent", "failed", "gone")}


def send_one(item_id: int, now=None) -> str:
    """The queue's job: claim this row (if it is still due and free) and send it."""
    token, ids = claim([item_id], now=now, limit=1)
    if not ids:
        return "skipped"  # sent already, not due yet, or another worker has it
    return deliver(item_id, token, now)


def dead_letters(team_id: int | None, limit: int = 200) -> list[OutboxItem]:
    """Pushes and emails that failed every try, newest first (a team's own, for a manager)."""
    query = select(OutboxItem).where(OutboxItem.dead_at.is_not(None), OutboxItem.sent_at.is_(None))
    if team_id is not None:
        query = query.where(_of_team(team_id))
    return list(db.session.scalars(query.order_by(OutboxItem.dead_at.desc()).limit(limit)))


def _of_team(team_id: int):
    """Rows for the team's staff, its families, its shared inbox and its invitations."""
    from ..models import Case, CaseCarer, Invitation, Team

    staff = select(User.id).where(User.team_id == team_id)
    young = select(Case.young_person_id).where(Case.team_id == team_id)
    carers = (
        select(CaseCarer.user_id)
        .join(Case, Case.id == CaseCarer.case_id)
        .where(Case.team_id == team_id)
    )
    inbox = select(Team.duty_email).where(Team.id == team_id)
    invites = (
        select(Invitation.id)
        .join(User, User.id == Invitation.invited_by_id)
        .where(User.team_id == team_id)
    )
    return or_(
        OutboxItem.user_id.in_(staff),
        OutboxItem.user_id.in_(young),
        OutboxItem.user_id.in_(carers),
        OutboxItem.to_email.in_(inbox),
        (OutboxItem.kind == "invite") & OutboxItem.ref_id.in_(invites),
    )


def recipients(items: list[OutboxItem]) -> dict[int, str]:
    """The names of the people these rows were for (a manager's own team)."""
    ids = {i.user_id for i in items if i.user_id}
    if not ids:
        return {}
    found = db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()
    return {row.id: row.name for row in found}


def retry_dead(item_id: int, team_id: int | None) -> bool:
    """A manager's "Try again": the row is due now with a fresh count of tries."""
    query = select(OutboxItem).where(OutboxItem.id == item_id, OutboxItem.dead_at.is_not(None))
    if team_id is not None:
        query = query.where(_of_team(team_id))
    item = db.session.scalar(query)
    if item is None:
        return False
    item.dead_at = item.gave_up_at = None
    item.attempts, item.next_attempt_at, item.claim_token, item.claimed_until = (
        0,
        utcnow(),
        None,
        None,
    )
    db.session.commit()
    return True


def backlog(team_id: int | None, now=None) -> dict:
    """How far behind sending is: rows waiting, due now, and how long the oldest due one has
    waited (for the staff page and /readyz-style checks)."""
    now = now or utcnow()
    waiting = select(func.count(OutboxItem.id)).where(
        OutboxItem.sent_at.is_(None), OutboxItem.gave_up_at.is_(None)
    )
    due = waiting.where(OutboxItem.next_attempt_at <= now)
    oldest = select(func.min(OutboxItem.next_attempt_at)).where(
        OutboxItem.sent_at.is_(None), OutboxItem.gave_up_at.is_(None),
        OutboxItem.next_attempt_at <= now,
    )  # fmt: skip
    if team_id is not None:
        waiting, due = waiting.where(_of_team(team_id)), due.where(_of_team(team_id))
        oldest = oldest.where(_of_team(team_id))
    first = db.session.scalar(oldest)
    return {
        "waiting": db.session.scalar(waiting) or 0,
        "due": db.session.scalar(due) or 0,
        "oldest_due_minutes": int((now - first).total_seconds() // 60) if first else 0,
    }


def queue_unread_emails(wait: timedelta) -> int:
    """Email family members whose newest unread message is older than `wait`, who want email,
    and who have no push subscription that worked. One email per unread message."""
    now = utcnow()
    queued = 0
    for conversation in db.session.scalars(select(Conversation)).all():
        member = db.session.get_one(User, conversation.member_id)
        if not member.active or not member.preferences.email_when_unread:
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
