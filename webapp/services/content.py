"""The easy-read library in the database: versions, reviews, and what families may see."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..easyread import (
    LIBRARY,
    LibraryError,
    Problem,
    known_pictures,
    lint,
    load_library,
    load_rules,
)
from ..extensions import db
from ..models import ContentReview, ContentStatus, ContentVersion, ReviewDecision, User, utcnow

FALLBACK_LANGUAGE = "en"


def chunks_of(version: ContentVersion) -> list[dict]:
    return json.loads(version.chunks)


def _versions(topic: str, language: str):
    return select(ContentVersion).where(
        ContentVersion.topic == topic, ContentVersion.language == language
    )


# Loading the files ------------------------------------------------------------------------


@dataclass
class SyncResult:
    added: list[str]
    unchanged: int


def sync(folder: Path = LIBRARY) -> SyncResult:
    """Load new versions from the files as waiting for review. All or nothing: any problem
    (a bad file, a rule broken, an approved version changed in place) loads nothing."""
    entries = load_library(folder)
    problems = lint(entries, load_rules(folder), known_pictures())
    added, unchanged, to_add = [], 0, []
    for entry in entries:
        if entry.status != "ready":
            continue
        existing = db.session.scalar(
            _versions(entry.topic, entry.language).where(ContentVersion.number == entry.version)
        )
        payload = json.dumps(entry.as_chunks(), ensure_ascii=False)
        if existing is None:
            to_add.append(entry)
        elif existing.title != entry.title or existing.chunks != payload:
            problems.append(
                Problem(entry.path, 1,
                        f"version {entry.version} is already loaded ({existing.status.value}) with "
                        f"other words: give your change a new version number", entry.topic)
            )  # fmt: skip
        else:
            unchanged += 1
    if problems:
        raise LibraryError(problems)
    for entry in to_add:
        db.session.add(
            ContentVersion(
                topic=entry.topic, language=entry.language, number=entry.version,
                title=entry.title, chunks=json.dumps(entry.as_chunks(), ensure_ascii=False),
                source="file",
            )
        )  # fmt: skip
        added.append(f"{entry.topic} ({entry.language}) version {entry.version}")
    db.session.commit()
    return SyncResult(added, unchanged)


# What families see --------------------------------------------------------------------------


@dataclass
class Published:
    version: ContentVersion
    fallback: bool  # shown in English because there is no approved version in their language


def published(topic: str, language: str) -> Published | None:
    for lang, fallback in ((language, False), (FALLBACK_LANGUAGE, True)):
        found = db.session.scalar(
            _versions(topic, lang)
            .where(ContentVersion.status == ContentStatus.APPROVED)
            .order_by(ContentVersion.number.desc())
            .limit(1)
        )
        if found is not None:
            return Published(found, fallback and lang != language)
    return None


def published_topics() -> list[str]:
    rows = db.session.scalars(
        select(ContentVersion.topic)
        .where(ContentVersion.status == ContentStatus.APPROVED)
        .distinct()
        .order_by(ContentVersion.topic)
    )
    return list(rows)


def newer_waiting(version: ContentVersion) -> bool:
    """For staff: a newer version of this topic is waiting for review."""
    newest = db.session.scalar(
        select(func.max(ContentVersion.number)).where(
            ContentVersion.topic == version.topic, ContentVersion.language == version.language
        )
    )
    return newest is not None and newest > version.number


# Review -------------------------------------------------------------------------------------


def approvals_needed() -> int:
    return current_app.config["CONTENT_APPROVALS_NEEDED"]


def review_queue(reviewer: User) -> list[ContentVersion]:
    """Versions waiting for review that this reviewer has not reviewed yet."""
    reviewed = select(ContentReview.version_id).where(ContentReview.reviewer_id == reviewer.id)
    return list(
        db.session.scalars(
            select(ContentVersion)
            .where(
                ContentVersion.status == ContentStatus.WAITING,
                ContentVersion.id.not_in(reviewed),
            )
            .order_by(ContentVersion.created_at, ContentVersion.id)
        )
    )


def version_by_id(version_id: int) -> ContentVersion | None:
    return db.session.scalar(
        select(ContentVersion)
        .where(ContentVersion.id == version_id)
        .options(selectinload(ContentVersion.reviews).selectinload(ContentReview.reviewer))
    )


def review(version: ContentVersion, reviewer: User, decision: ReviewDecision, comment: str | None):
    """Record one reviewer's decision. Enough approvals of this exact version publish it."""
    existing = next((r for r in version.reviews if r.reviewer_id == reviewer.id), None)
    if existing is None:
        existing = ContentReview(version_id=version.id, reviewer_id=reviewer.id, decision=decision)
        version.reviews.append(existing)
    existing.decision, existing.comment, existing.created_at = decision, comment, utcnow()
    if decision is ReviewDecision.CHANGE:
        version.status = ContentStatus.CHANGES
    else:
        approvals = sum(1 for r in version.reviews if r.decision is ReviewDecision.APPROVE)
        if approvals >= approvals_needed():
            version.status = ContentStatus.APPROVED
            version.published_at = utcnow()
    db.session.commit()


def history(topic: str, language: str) -> list[ContentVersion]:
    return list(
        db.session.scalars(
            _versions(topic, language)
            .order_by(ContentVersion.number.desc())
            .options(selectinload(ContentVersion.reviews).selectinload(ContentReview.reviewer))
        )
    )


def latest(topic: str, language: str) -> ContentVersion | None:
    return db.session.scalar(
        _versions(topic, language).order_by(ContentVersion.number.desc()).limit(1)
    )


def all_topics() -> list[tuple[str, str]]:
    return list(
        db.session.execute(
            select(ContentVersion.topic, ContentVersion.language)
            .distinct()
            .order_by(ContentVersion.topic, ContentVersion.language)
        ).all()
    )


def edit(topic: str, language: str, title: str, chunks: list[dict], by: User) -> ContentVersion:
    """A change made in the app: always a new version, waiting for review."""
    newest = latest(topic, language)
    version = ContentVersion(
        topic=topic, language=language, number=(newest.number if newest else 0) + 1,
        title=title, chunks=json.dumps(chunks, ensure_ascii=False), source="app",
        created_by_id=by.id,
    )  # fmt: skip
    db.session.add(version)
    db.session.commit()
    return version
