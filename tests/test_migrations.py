"""One Alembic history builds the schema on SQLite and PostgreSQL alike, and matches the models."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from webapp import migrate
from webapp.extensions import make_engine
from webapp.models import Base


def _scratch_database(tmp_path) -> tuple[str, callable]:
    """A database of its own, so the run's shared test database is not touched."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'migrations.sqlite3'}", lambda: None
    schema = f"mig_{uuid.uuid4().hex[:8]}"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop():
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()

    return scoped.render_as_string(hide_password=False), drop


def _differences(url: str) -> list:
    engine = make_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    return diff


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_upgrade_downgrade_upgrade_matches_the_models(tmp_path):
    url, drop = _scratch_database(tmp_path)
    try:
        migrate.upgrade(url)
        assert set(Base.metadata.tables) <= _tables(url)
        assert _differences(url) == []

        migrate.downgrade(url, "base")
        assert _tables(url) <= {"alembic_version"}

        migrate.upgrade(url)
        assert _differences(url) == []
    finally:
        drop()


def test_one_head_only():
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1


@pytest.mark.own_database
def test_every_migration_goes_down_and_up_again_with_demo_data_in_it(tmp_path):
    """A real database is never empty when a release is rolled back: each migration, from the
    newest to the first, goes down and up and down again with the demo families' rows in it."""
    from alembic.script import ScriptDirectory

    from tests.conftest import second_app

    url, drop = _scratch_database(tmp_path)
    try:
        with second_app(url):  # migrated to head, with the demo data
            pass
        revisions = [
            r.revision
            for r in ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()
        ]  # newest first
        for revision in revisions:
            migrate.downgrade(url, "-1")
            migrate.upgrade(url, "+1")
            migrate.downgrade(url, "-1")
            assert revision not in _version(url), revision
        assert _tables(url) <= {"alembic_version"}
        migrate.upgrade(url)
        assert _differences(url) == []
    finally:
        drop()


def _version(url: str) -> set[str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    engine.dispose()
    return found
