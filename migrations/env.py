"""Alembic environment: one history for SQLite and PostgreSQL alike."""

from __future__ import annotations

from alembic import context

from webapp.config import Settings
from webapp.extensions import make_engine
from webapp.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.attributes.get("url") or Settings.from_env().DATABASE_URL
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,  # SQLite cannot ALTER most things
        compare_type=True,
    )
    # A batch migration on SQLite copies a table and drops the old one; with foreign keys on,
    # dropping `cases` would cascade and delete every row that points at it. Turn them off
    # for the migration (outside a transaction, where the PRAGMA takes effect), then back on.
    raw = connection.connection.driver_connection if sqlite else None
    if raw is not None:
        raw.execute("PRAGMA foreign_keys=OFF")
    try:
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not used: run them against a database.")
run_migrations()
