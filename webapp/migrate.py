"""Run the Alembic migrations from Python (used by `flask db upgrade` and the tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from .config import ROOT


def alembic_config(url: str | None = None, connection=None) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    if url:
        cfg.attributes["url"] = url
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def check(url: str) -> list[str]:
    """What differs between the database and the code: the migrations not at head, or a
    table, column, index or type the models have and the migrations do not (or the other way
    round). Empty when they agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from .extensions import make_engine
    from .models import Base

    heads = set(ScriptDirectory.from_config(alembic_config(url)).get_heads())
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            at = set(context.get_current_heads())
            problems = []
            if at != heads:
                problems.append(
                    f"the database is at {', '.join(sorted(at)) or 'no revision'}; "
                    f"the migrations end at {', '.join(sorted(heads))} (run `flask db upgrade`)"
                )
                return problems
            for diff in compare_metadata(context, Base.metadata):
                problems.append(f"models and migrations differ: {diff!r}")
            return problems
    finally:
        engine.dispose()
