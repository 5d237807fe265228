"""Links for a named professional to the one-page profile, for 1, 7 or 30 days."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEvent, Case, ShareLink, User, utcnow

DAYS = (1, 7, 30)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(case: Case, by: User, professional: str, days: int) -> tuple[ShareLink, str]:
    """The token is shown once, to the person who made the link; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    link = ShareLink(
        case_id=case.id, created_by_id=by.id, token_hash=_hash(token),
        professional=professional, expires_at=utcnow() + timedelta(days=days),
    )  # fmt: skip
    db.session.add(link)
    db.session.commit()
    return link, token


def open_link(token: str) -> ShareLink | None:
    """The link if it is still open; every open is recorded, for 'who has looked'."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(select(ShareLink).where(ShareLink.token_hash == _hash(token)))
    if link is None or link.ended_at is not None or link.expires_at <= utcnow():
        return None
    db.session.add(AuditEvent(actor_role="professional", case_id=link.case_id, action="read",
                              record_type="share_links", record_id=link.id))  # fmt: skip
    db.session.commit()
    return link


def links_for(case: Case) -> list[ShareLink]:
    return list(
        db.session.scalars(
            select(ShareLink).where(ShareLink.case_id == case.id).order_by(ShareLink.id.desc())
        )
    )


def link_by_id(case: Case, link_id: int) -> ShareLink | None:
    link = db.session.get(ShareLink, link_id)
    return link if link is not None and link.case_id == case.id else None


def end(link: ShareLink) -> None:
    if link.ended_at is None:
        link.ended_at = utcnow()
        db.session.commit()


@dataclass
class Opened:
    day: date
    professional: str


def opens(case: Case) -> list[Opened]:
    """Each day a link was opened, by whom it was made for, newest first."""
    rows = db.session.execute(
        select(AuditEvent.at, ShareLink.professional)
        .join(ShareLink, ShareLink.id == AuditEvent.record_id)
        .where(
            AuditEvent.case_id == case.id,
            AuditEvent.record_type == "share_links",
            AuditEvent.action == "read",
        )
        .order_by(AuditEvent.at.desc())
    ).all()
    seen, found = set(), []
    for at, professional in rows:
        key = (at.date(), professional)
        if key not in seen:
            seen.add(key)
            found.append(Opened(at.date(), professional))
    return found
