"""Messages between a family member and the key working team: nothing lost, nothing doubled,
unread counts always right, and an honest automatic reply outside office hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import g, has_request_context
from sqlalchemy import event, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ..extensions import db
from ..models import (
    Case,
    CaseKeyWorker,
    Conversation,
    ConversationRead,
    Message,
    Role,
    Team,
    User,
)

BODY_MAX = 2000
LONDON = ZoneInfo("Europe/London")
AUTO_REPLY_GAP = timedelta(hours=1)  # one automatic reply an hour is enough


class KeyTaken(Exception):
    """The client key was already used by this person for a different message."""


def conversation_for(case: Case, member: User) -> Conversation:
    found = db.session.scalar(
        select(Conversation).where(
            Conversation.case_id == case.id, Conversation.member_id == member.id
        )
    )
    if found is None:
        found = Conversation(case_id=case.id, member_id=member.id)
        db.session.add(found)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return conversation_for(case, member)
    return found


def conversation_by_id(conversation_id: int) -> Conversation | None:
    return db.session.get(Conversation, conversation_id)


def message_by_id(message_id: int) -> Message | None:
    return db.session.get(Message, message_id)


def messages_in(conversation: Conversation) -> list[Message]:
    return list(
        db.session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation.id)
            .order_by(Message.created_at, Message.id)
            .options(selectinload(Message.author))
        )
    )


def in_office_hours(team: Team, moment: datetime) -> bool:
    local = moment.astimezone(LONDON)
    return (
        str(local.weekday()) in team.office_days
        and team.office_opens <= local.time() < team.office_closes
    )


def send(
    conversation: Conversation, author: User, body: str, client_key: str, team: Team,
    urgent: bool = False, read_to_in: str | None = None,
) -> Message:  # fmt: skip
    """Store a message once. The same key with the same words gives back the first one.
    `read_to_in`: staff ask for it to be read to the family member in that language."""
    existing = db.session.scalar(
        select(Message).where(Message.author_id == author.id, Message.client_key == client_key)
    )
    if existing is not None:
        if existing.conversation_id != conversation.id or existing.body != body:
            raise KeyTaken(client_key)
        return existing
    message = Message(
        conversation_id=conversation.id, author_id=author.id, body=body,
        client_key=client_key, urgent=urgent,
        read_to_in=read_to_in if author.role.is_staff else None,
    )  # fmt: skip
    db.session.add(message)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return send(conversation, author, body, client_key, team, urgent, read_to_in)
    _mark_read(conversation, author, message.created_at)
    if author.role.is_family and not in_office_hours(team, message.created_at):
        _auto_reply(conversation, message.created_at)
    if author.id != conversation.member_id:
        from . import push

        push.queue_new_message(db.session.get_one(User, conversation.member_id))
    db.session.commit()
    return message


def _auto_reply(conversation: Conversation, after: datetime) -> None:
    recent = db.session.scalar(
        select(func.count(Message.id)).where(
            Message.conversation_id == conversation.id,
            Message.author_id.is_(None),
            Message.created_at >= after - AUTO_REPLY_GAP,
        )
    )
    if not recent:
        # The words are chosen when shown, in the reader's language (see the template).
        db.session.add(
            Message(conversation_id=conversation.id, author_id=None, body="",
                    created_at=after + timedelta(seconds=1))
        )  # fmt: skip


def _mark_read(conversation: Conversation, user: User, at: datetime) -> None:
    key = (conversation.id, user.id)
    read = db.session.get(ConversationRead, key)
    if read is None:
        # The same person opening the conversation on two phones at once: both may find no
        # row. The second insert fails on the primary key in its own savepoint, and updates.
        try:
            with db.session.begin_nested():
                db.session.add(ConversationRead(conversation_id=key[0], user_id=key[1], read_at=at))
            return
        except IntegrityError:
            read = db.session.get_one(ConversationRead, key, populate_existing=True)
    if read.read_at < at:
        read.read_at = at


def mark_read(conversation: Conversation, user: User) -> None:
    newest = db.session.scalar(
        select(func.max(Message.created_at)).where(Message.conversation_id == conversation.id)
    )
    if newest is None:
        return  # nothing to have read: opening an empty conversation writes nothing
    _mark_read(conversation, user, newest)
    db.session.commit()


def _unread_filter(user: User):
    """Messages from someone else newer than what this person has read. The automatic
    out-of-hours reply (no author) is news to the family, not to the team that sent it."""
    read_at = (
        select(ConversationRead.read_at)
        .where(
            ConversationRead.conversation_id == Message.conversation_id,
            ConversationRead.user_id == user.id,
        )
        .correlate(Message)
        .scalar_subquery()
    )
    from_someone_else = (
        (Message.author_id.is_(None) | (Message.author_id != user.id))
        if user.role.is_family
        else (Message.author_id.is_not(None) & (Message.author_id != user.id))
    )
    return (from_someone_else, (read_at.is_(None) | (Message.created_at > read_at)))


def _per_request(name: str, key, compute):
    """Counted once per request (the inbox and the menu both need the unread counts), and
    counted again after anything is committed: see _forget_counts."""
    if not has_request_context():
        return compute()
    memo = g.setdefault("mkw_message_counts", {})
    if (name, key) not in memo:
        memo[(name, key)] = compute()
    return memo[(name, key)]


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_counts(_session) -> None:
    if has_request_context():
        g.pop("mkw_message_counts", None)


def unread_by_conversation(user: User, conversation_ids: list[int]) -> dict[int, int]:
    if not conversation_ids:
        return {}

    def count() -> dict[int, int]:
        rows = db.session.execute(
            select(Message.conversation_id, func.count(Message.id))
            .where(Message.conversation_id.in_(conversation_ids), *_unread_filter(user))
            .group_by(Message.conversation_id)
        )
        return dict(rows.all())

    return dict(_per_request("unread", (user.id, tuple(conversation_ids)), count))


def visible_conversations(user: User) -> list[Conversation]:
    return list(_per_request("visible", user.id, lambda: _visible_conversations(user)))


def _visible_conversations(user: User) -> list[Conversation]:
    stmt = select(Conversation).join(Case, Case.id == Conversation.case_id)
    if user.role.is_family:
        stmt = stmt.where(Conversation.member_id == user.id)
    elif user.role is Role.KEY_WORKER:
        stmt = stmt.join(CaseKeyWorker, CaseKeyWorker.case_id == Case.id).where(
            CaseKeyWorker.user_id == user.id
        )
    elif user.role is Role.MANAGER:
        stmt = stmt.where(Case.team_id == user.team_id)
    else:
        return []
    return list(db.session.scalars(stmt.options(selectinload(Conversation.member))).unique())


def unread_total(user: User) -> int:
    conversations = visible_conversations(user)
    return sum(unread_by_conversation(user, [c.id for c in conversations]).values())


@dataclass
class InboxRow:
    conversation: Conversation
    case: Case
    unread: int
    waiting_since: datetime | None  # the oldest family message not yet answered


def _waiting_since(conversation_ids: list[int]) -> dict[int, datetime]:
    """For each conversation, the oldest family message sent after a person from the team
    last wrote (automatic replies do not count as an answer). Two grouped queries, however
    many conversations there are."""
    if not conversation_ids:
        return {}
    answered = (
        select(Message.conversation_id, func.max(Message.created_at).label("at"))
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.conversation_id.in_(conversation_ids),
            Message.author_id.is_not(None),
            Message.author_id != Conversation.member_id,
        )
        .group_by(Message.conversation_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Message.conversation_id, func.min(Message.created_at))
        .join(Conversation, Conversation.id == Message.conversation_id)
        .outerjoin(answered, answered.c.conversation_id == Message.conversation_id)
        .where(
            Message.conversation_id.in_(conversation_ids),
            Message.author_id == Conversation.member_id,
            or_(answered.c.at.is_(None), Message.created_at > answered.c.at),
        )
        .group_by(Message.conversation_id)
    )
    return {conversation_id: at for conversation_id, at in rows}


def inbox(user: User, cases_by_id: dict[int, Case]) -> list[InboxRow]:
    conversations = visible_conversations(user)
    ids = [c.id for c in conversations]
    unread = unread_by_conversation(user, ids)
    waiting = _waiting_since(ids)
    rows = [
        InboxRow(c, cases_by_id[c.case_id], unread.get(c.id, 0), waiting.get(c.id))
        for c in conversations
    ]
    far_future = datetime.max.replace(tzinfo=LONDON)
    return sorted(
        rows, key=lambda r: (r.unread == 0, r.waiting_since or far_future, r.conversation.id)
    )


def set_follow_up(conversation: Conversation, value: bool) -> None:
    conversation.follow_up = value
    db.session.commit()
