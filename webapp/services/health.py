"""Is this process ready to serve? The database answers, its migrations are at the head of the
code's history, and Redis answers when REDIS_URL is set. Reasons are plain and hold no data."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import text

from ..extensions import db


def _head() -> str | None:
    from alembic.script import ScriptDirectory

    from ..migrate import alembic_config

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return heads[0] if len(heads) == 1 else None


_HEAD: list[str | None] = []


def code_head() -> str | None:
    if not _HEAD:
        _HEAD.append(_head())
    return _HEAD[0]


def problems() -> list[str]:
    found: list[str] = []
    try:
        with db.engine.connect() as conn:  # type: ignore[union-attr]
            conn.execute(text("SELECT 1"))
            try:
                at = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            except Exception:
                at = None
    except Exception as exc:
        found.append(f"the database does not answer ({type(exc).__name__})")
    else:
        head = code_head()
        if at != head:
            found.append(f"the database migrations are at {at or 'nothing'}, the code needs {head}")
    url = current_app.config.get("REDIS_URL")
    if url:
        import redis

        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
            try:
                client.ping()
            finally:
                client.close()
        except Exception as exc:
            found.append(f"Redis does not answer ({type(exc).__name__})")
    return found
