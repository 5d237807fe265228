"""Whole pages kept after their first rendering, and served again while nothing they read changed.

A page is kept under an explicit key: the view and its address (with ?view=), who is signed in,
the language, the host and the minute. With it go the tables its rendering read, each with its
change counter (`page_generations`) as it stood before the rendering began. A page is served
again only while every one of those counters is unchanged, so a new plan version, a setting, a
shared section, a new message or anything else written to a table the page read shows at once,
on every server and worker (the counters live in the database, and go up in the same
transaction as the change they count). The minute in the key covers what depends on the time
("open now", "5 minutes ago", today's date).

Kept only when nothing in the page is a one-off: a page whose rendering wrote anything (an
audit of a staff read, messages marked read), changed the session or flashed a message is
never kept, and a page with a message waiting to be flashed, made for the phone's offline
copy, or behind the PIN or second-factor gate is never served from here. The CSRF token is a
placeholder in what is kept; each session gets the page with its own token, made and
compressed once (a token is good for the whole session, as WTF_CSRF_TIME_LIMIT is None). The
content security policy has no nonce, so nothing else differs between responses.

Each worker keeps its own pages (MAX_ENTRIES, least recently used first out).
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, wraps

from flask import Flask, Response, current_app, g, has_app_context, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import Engine, event, text

from . import compression
from .extensions import db
from .fragments import CSRF_PLACEHOLDER
from .models.page_cache import PageGeneration

MAX_ENTRIES = 1024  # ~16 kB each, and ~4 kB gzipped for each session that saw it
SESSIONS_PER_PAGE = 8
TABLE = PageGeneration.__tablename__
# The sign-in session is checked on every request, served from here or not, before anything is
# shown (signed out, locked, second factor), and no page shows what it holds; it is written
# once a minute per person, which would otherwise end every kept page in the region each time.
NOT_COUNTED = frozenset({"sessions", TABLE})

_WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE
)
_READ = re.compile(r"\b(?:FROM|JOIN)\s+\"?(\w+)", re.IGNORECASE)


@cache  # once per placeholder style, not at every commit
def count_change_sql(param: str) -> str:
    """Raise one table's counter (its name the one parameter, in the driver's `param` style):
    the app does it as a transaction commits; a test writing around the app does it too."""
    assert param in {"?", "%s"}  # a constant table name and a placeholder, never data
    insert = f"INSERT INTO {TABLE} (name, n) VALUES ({param}, 1) "  # noqa: S608
    return insert + f"ON CONFLICT (name) DO UPDATE SET n = {TABLE}.n + 1"


@dataclass
class _Capture:
    """What one request read and whether it wrote, from its very start (the signed-in person and
    their settings are loaded before the view runs, and count like anything else)."""

    generations: dict[str, int]  # every table's counter, read before anything else
    tables: set[str] = field(default_factory=set)
    wrote: bool = False


@dataclass
class _Entry:
    html: str  # with CSRF_PLACEHOLDER
    seen: tuple[tuple[str, int], ...]  # (table, its counter when the rendering began)
    # The page as sent in a session: its CSRF token's secret -> (HTML, gzipped HTML)
    sent: OrderedDict[str, tuple[bytes, bytes]] = field(default_factory=OrderedDict)


_pages: OrderedDict[tuple, _Entry] = OrderedDict()
_lock = threading.Lock()
stats = {"hits": 0, "misses": 0, "kept": 0, "not_kept": 0}
CACHED_ATTR = "mkw_page_cache"


def _capture() -> _Capture | None:
    return g.get("mkw_capture") if has_app_context() else None


# Counting changes, and seeing what a request reads --------------------------------------------


def init_app(app: Flask) -> None:
    """Count every transaction's writes per table; for a GET of a cached view, note every table
    the request reads. Set up before anything that loads the person (create_app)."""
    assert db.engine is not None
    watch(db.engine)

    def _begin() -> None:
        view = app.view_functions.get(request.endpoint or "")
        if request.method == "GET" and getattr(view, CACHED_ATTR, False):
            g.mkw_capture = _Capture(generations())

    app.before_request(_begin)


def watch(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _statement(conn, _cursor, statement, _parameters, _context, _executemany):
        capture = _capture()
        written = _WRITE.match(statement)
        if written:
            name = written.group(1).lower()
            if name != TABLE:
                conn.info.setdefault("mkw_changed", set()).add(name)
                if capture is not None:
                    capture.wrote = True
        elif capture is not None:
            capture.tables.update(name.lower() for name in _READ.findall(statement))

    @event.listens_for(engine, "commit")
    def _count(conn):
        _bump(conn)

    @event.listens_for(engine, "release_savepoint")
    def _count_inner(conn, _name, _context):
        _bump(conn)  # in the outer transaction: it counts when that commits (tests use this)

    @event.listens_for(engine, "rollback")
    def _forget(conn):
        conn.info.pop("mkw_changed", None)


def _bump(conn) -> None:
    changed = conn.info.pop("mkw_changed", None)
    # A migration's own transaction (it writes alembic_version) may run before the table
    # exists, and before any worker has a page to keep.
    if not changed or "alembic_version" in changed:
        return
    # Sorted, so two transactions always take the counters' row locks in the same order.
    param = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.executemany(count_change_sql(param), [(name,) for name in sorted(changed)])
    finally:
        cursor.close()


def generations() -> dict[str, int]:
    rows = db.session.execute(text(f"SELECT name, n FROM {TABLE}"))  # noqa: S608 - a constant
    return {name: n for name, n in rows}


# Keeping and serving pages --------------------------------------------------------------------


def _servable() -> bool:
    return (
        current_user.is_authenticated
        and not g.get("anonymous_layout")
        and not g.get("own_settings_only")
        and request.headers.get("X-MKW-Keep") != "1"
        and not session.get("_flashes")
    )


def _key() -> tuple:
    return (
        request.endpoint,
        request.full_path,
        request.host,
        current_user.id,
        str(get_locale()),
        int(time.time() // 60),
    )


def _sent(entry: _Entry) -> Response:
    """The kept page with this session's CSRF token, compressed once per session."""
    reuse = current_app.config["WTF_CSRF_TIME_LIMIT"] is None
    secret = session.get("csrf_token") if reuse else None
    with _lock:
        packed = entry.sent.get(secret) if secret else None
    if packed is None:
        html = entry.html.replace(CSRF_PLACEHOLDER, generate_csrf()).encode()
        packed = (html, compression.gzipped(html))
        secret = session.get("csrf_token")  # generate_csrf made one if there was none
        if secret and reuse:
            with _lock:
                entry.sent[secret] = packed
                while len(entry.sent) > SESSIONS_PER_PAGE:
                    entry.sent.popitem(last=False)
    response = Response(mimetype="text/html")
    compression.send(response, *packed)
    return response


def cached(view: Callable) -> Callable:
    """Serve this GET view's page from the cache while nothing its request read has changed."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        capture = _capture()
        if capture is None or not _servable():
            return view(*args, **kwargs)
        key, now = _key(), capture.generations
        with _lock:
            entry = _pages.get(key)
            if entry is not None:
                _pages.move_to_end(key)
        if entry is not None and all(now.get(t, 0) == n for t, n in entry.seen):
            stats["hits"] += 1
            return _sent(entry)
        stats["misses"] += 1
        response = _render(view, args, kwargs, capture)
        if not _keepable(response, capture):
            stats["not_kept"] += 1
            if response.mimetype == "text/html" and not response.direct_passthrough:
                html = response.get_data(as_text=True)
                response.set_data(html.replace(CSRF_PLACEHOLDER, generate_csrf()))
            return response
        read = capture.tables - NOT_COUNTED
        entry = _Entry(
            response.get_data(as_text=True), tuple(sorted((t, now.get(t, 0)) for t in read))
        )
        with _lock:
            _pages[key] = entry
            while len(_pages) > MAX_ENTRIES:
                _pages.popitem(last=False)
        stats["kept"] += 1
        return _sent(entry)

    setattr(wrapped, CACHED_ATTR, True)
    return wrapped


def _render(view: Callable, args, kwargs, capture: _Capture) -> Response:
    before = dict(session)
    g.csrf_token = CSRF_PLACEHOLDER  # Flask-WTF's generate_csrf gives what g holds
    try:
        response = make_response(view(*args, **kwargs))
    finally:
        g.pop("csrf_token", None)
    capture.wrote = capture.wrote or dict(session) != before
    return response


def _keepable(response: Response, capture: _Capture) -> bool:
    return (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and not capture.wrote
        and not session.get("_flashes")
        # Only what render_template gives: a view that set its own headers is a one-off.
        and set(response.headers.keys()) <= {"Content-Type", "Content-Length"}
    )


def clear() -> None:
    with _lock:
        _pages.clear()
