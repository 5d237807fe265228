"""Messages between a family member and the key working team: nothing lost, nothing doubled,
unread counts always right, and an honest automatic reply outside office hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

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
    utcnow,
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
    urgent: bool = False,
) -> Message:  # fmt: skip
    """Store a message once. The same key with the same words gives back the first one."""
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
    )  # fmt: skip
    db.session.add(message)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return send(conversation, author, body, client_key, team, urgent)
    _mark_read(conversation, author, message.created_at)
    if author.role.is_family and not in_office_hours(team, message.created_at):
        _auto_reply(conversation, message.created_at)
    if author.id != conversation.member_id:
        from . import push

        push.queue_new_message(db.session.get(User, conversation.member_id))
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
    read = db.session.get(ConversationRead, (conversation.id, user.id))
    if read is None:
        db.session.add(
            ConversationRead(conversation_id=conversation.id, user_id=user.id, read_at=at)
        )
    elif read.read_at < at:
        read.read_at = at


def mark_read(conversation: Conversation, user: User) -> None:
    newest = db.session.scalar(
        select(func.max(Message.created_at)).where(Message.conversation_id == conversation.id)
    )
    _mark_read(conversation, user, newest or utcnow())
    db.session.commit()


def _unread_filter(user: User):
    """Messages from someone else newer than what this person has read."""
    read_at = (
        select(ConversationRead.read_at)
        .where(
            ConversationRead.conversation_id == Message.conversation_id,
            ConversationRead.user_id == user.id,
        )
        .correlate(Message)
        .scalar_subquery()
    )
    return (
        (Message.author_id.is_(None) | (Message.author_id != user.id)),
        (read_at.is_(None) | (Message.created_at > read_at)),
    )


def unread_by_conversation(user: User, conversation_ids: list[int]) -> dict[int, int]:
    if not conversation_ids:
        return {}
    rows = db.session.execute(
        select(Message.conversation_id, func.count(Message.id))
        .where(Message.conversation_id.in_(conversation_ids), *_unread_filter(user))
        .group_by(Message.conversation_id)
    )
    return dict(rows.all())


def visible_conversations(user: User) -> list[Conversation]:
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


def inbox(user: User, cases_by_id: dict[int, Case]) -> list[InboxRow]:
    conversations = visible_conversations(user)
    unread = unread_by_conversation(user, [c.id for c in conversations])
    rows = []
    for conversation in conversations:
        waiting = None
        for message in messages_in(conversation):
            if message.author_id == conversation.member_id:
                waiting = waiting or message.created_at
            elif message.author_id is not None:
                waiting = None  # a person from the team answered
        rows.append(
            InboxRow(conversation, cases_by_id[conversation.case_id],
                     unread.get(conversation.id, 0), waiting)
        )  # fmt: skip
    far_future = datetime.max.replace(tzinfo=LONDON)
    return sorted(
        rows, key=lambda r: (r.unread == 0, r.waiting_since or far_future, r.conversation.id)
    )


def set_follow_up(conversation: Conversation, value: bool) -> None:
    conversation.follow_up = value
    db.session.commit()
