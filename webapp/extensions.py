"""Extensions live at module level and are bound to the app in create_app()."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import scoped_session, sessionmaker

from .catalogues import CheckedBabel
from .ratelimit import limiter as limiter  # here too, for create_app and the tests


class Database:
    """A small SQLAlchemy 2.0 binding: one engine, one scoped session per request."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session = scoped_session(sessionmaker(expire_on_commit=False))

    def init_app(self, app: Flask) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"], echo=bool(app.config.get("SQL_ECHO")))
        self.session.configure(bind=self.engine)
        app.teardown_appcontext(lambda _exc: self.session.remove())


SQLITE_BUSY_TIMEOUT_SECONDS = 30
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_READS = ("SELECT", "PRAGMA", "WITH", "EXPLAIN")


def make_engine(url: str, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            hide_parameters=True,
        )
        _fix_sqlite(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # hide_parameters: an error's text (logged, reported) never carries what a row held.
    return create_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)


def _wants_write_lock() -> bool:
    """A request that may change something (POST and the like) and anything outside a request
    (commands, the push sender) take the write lock when they begin. A GET begins as a reader,
    so pages never wait for each other."""
    from flask import has_request_context, request

    return not (has_request_context() and request.method in _SAFE_METHODS)


def _fix_sqlite(engine: Engine) -> None:
    """SQLite as the embedded default, without lost writes or "database is locked".

    SQLAlchemy's documented pysqlite recipe: turn off pysqlite's own transaction handling
    (isolation_level = None) and emit BEGIN ourselves. pysqlite alone begins lazily, and a
    transaction that read first and then writes cannot wait for the write lock: SQLite answers
    "database is locked" at once and the busy timeout never applies. So:

    - WAL: readers never block the writer and the writer never blocks readers;
    - a busy timeout (the `timeout` argument) that applies, because
    - every write transaction begins with BEGIN IMMEDIATE, which takes the write lock first and
      waits for it. A GET begins with a plain BEGIN; if it then writes (marking messages read),
      its first write ends the read-only snapshot and begins again with BEGIN IMMEDIATE. That
      gives the same guarantees as PostgreSQL's default (read committed): each statement sees
      what was committed before it, and unique constraints settle races.

    Also turns on foreign keys, which SQLite leaves off by default.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.info["sqlite_reader"] = False
        if _wants_write_lock():
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
            conn.info["sqlite_reader"] = True

    @event.listens_for(engine, "before_cursor_execute")
    def _upgrade(conn, cursor, statement, _parameters, _context, _executemany):
        if conn.info.get("sqlite_reader") and not statement.lstrip()[:7].upper().startswith(_READS):
            # Nothing was written in this transaction yet, so ending it loses nothing.
            conn.info["sqlite_reader"] = False
            cursor.execute("COMMIT")
            cursor.execute("BEGIN IMMEDIATE")

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _end(conn):
        conn.info.pop("sqlite_reader", None)


db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = CheckedBabel()
