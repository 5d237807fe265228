"""Logs, request ids and error reports, without personal data.

Every log line is one JSON object with the request id, the signed-in person's id and role, and
never a name, an email address, what anyone wrote, a token or a session id. The request id comes
from a trusted proxy's `X-Request-Id` (only when TRUSTED_PROXIES is above 0, and only when it
looks like an id) or is made here, and goes back in the response's `X-Request-Id`.

Errors go to Sentry when SENTRY_DSN is set, through `scrub` (see below) first.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, has_request_context, request

from .notify import redact

REQUEST_ID_HEADER = "X-Request-Id"
_GOOD_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
access_log = logging.getLogger("webapp.request")

# The attributes every LogRecord has: anything else was passed with `extra=` and is logged.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}
# Fields that are never written, whatever code passes them.
_NEVER = {"name_of_person", "email", "password", "token", "body", "text", "cookie", "sid"}


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestContext(logging.Filter):
    """Adds the request id and who is signed in (id and role only) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id")
            who = g.get("log_user")
            if who is None:  # only a person already loaded: a log line never queries
                user = g.get("_login_user")
                authenticated = user is not None and getattr(user, "is_authenticated", False)
                who = (user.id, user.role.value) if authenticated else (None, None)
            record.user_id, record.role = who
        return True


def _who() -> tuple[int | None, str | None]:
    from flask_login import current_user

    try:
        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.role.value
    except Exception:  # the database may be down: logging must still work  # noqa: S110
        pass
    return None, None


class JsonFormatter(logging.Formatter):
    """One JSON object per line. Messages go through the token filter again, as a net."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if key in _STANDARD or key in _NEVER or key.startswith("_"):
                continue
            out[key] = value if isinstance(value, int | float | bool | type(None)) else str(value)
        if record.exc_info and record.exc_info[0] is not None:
            # The type and where it happened. The exception's own text can carry values (a
            # row that did not fit), so it is not written.
            import traceback

            exc_type, _exc, tb = record.exc_info
            out["error"] = exc_type.__name__
            out["stack"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(tb)
            ][-15:]
        return json.dumps(out, ensure_ascii=False, default=str)


def configure_logging(fmt: str = "json", level: str = "INFO") -> None:
    """Root logger to stderr, unless something (pytest, gunicorn's logconfig) set it up first."""
    root = logging.getLogger()
    mine = [h for h in root.handlers if getattr(h, "mkw", False)]
    if root.handlers and not mine:
        for handler in root.handlers:
            _add_context(handler)
        return
    if not mine:
        handler = logging.StreamHandler(sys.stderr)
        handler.mkw = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        mine = [handler]
    for handler in mine:
        handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
        _add_context(handler)
    root.setLevel(level)
    # Migrations and the queue library say a lot at INFO that nobody needs in production.
    logging.getLogger("alembic").setLevel(logging.WARNING)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def _add_context(handler: logging.Handler) -> None:
    if not any(isinstance(f, RequestContext) for f in handler.filters):
        handler.addFilter(RequestContext())
    if not any(isinstance(f, _Defaults) for f in handler.filters):
        handler.addFilter(_Defaults())


class _Defaults(logging.Filter):
    """Plain-text format needs the fields outside a request too."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key in ("request_id", "user_id", "role"):
            if not hasattr(record, key):
                setattr(record, key, None)
        return True


def init_app(app: Flask) -> None:
    configure_logging(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])

    @app.before_request
    def _start():
        g.request_started = time.perf_counter()
        trust = app.config["TRUSTED_PROXIES"] > 0
        offered = request.headers.get(REQUEST_ID_HEADER, "") if trust else ""
        g.request_id = offered if _GOOD_REQUEST_ID.match(offered) else secrets.token_hex(16)

    @app.after_request
    def _finish(response):
        rid = g.get("request_id")
        if rid:
            response.headers[REQUEST_ID_HEADER] = rid
        g.log_user = _who()
        started = g.get("request_started")
        took = round((time.perf_counter() - started) * 1000, 1) if started else None
        access_log.info(
            "%s %s %s",
            request.method,
            redact(request.path),  # the path only: never the query string
            response.status_code,
            extra={
                "status": response.status_code,
                "duration_ms": took,
            },
        )
        return response

    _init_sentry(app)


# ---- Error reports -------------------------------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_SECRETISH = re.compile(
    r"(?i)(session|cookie|csrf|token|password|secret|authorization|auth|key|code|body|text)"
)
FILTERED = "[filtered]"


def _clean_text(value: Any) -> Any:
    if isinstance(value, str):
        return _EMAIL.sub("[email]", redact(value))
    return value


def scrub(event: Any, _hint: Any = None) -> Any:
    """Sentry's `before_send`: keeps what says where and why it failed (type, stack, route,
    request id, user id and role), drops everything a person typed or that identifies them."""
    req = event.get("request")
    if isinstance(req, dict):
        kept = {"method": req.get("method")}
        if req.get("url"):
            kept["url"] = redact(str(req["url"]).split("?", 1)[0])
        headers = req.get("headers") or {}
        if isinstance(headers, dict):
            kept["headers"] = {
                k: v
                for k, v in headers.items()
                if k.lower() in {"user-agent", "content-type", "x-request-id", "accept-language"}
            }
        event["request"] = kept
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {k: user[k] for k in ("id", "role") if k in user}
    for exception in (event.get("exception") or {}).get("values") or []:
        exception["value"] = FILTERED  # its text can carry values from a row or a form
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)  # local variables hold what people wrote
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    if "logentry" in event and isinstance(event["logentry"], dict):
        entry = event["logentry"]
        entry["message"] = _clean_text(entry.get("message"))
        entry.pop("params", None)
        entry.pop("formatted", None)
    if "message" in event:
        event["message"] = _clean_text(event["message"])
    crumbs = event.get("breadcrumbs")
    values = crumbs.get("values") if isinstance(crumbs, dict) else crumbs
    for crumb in values or []:
        crumb["message"] = _clean_text(crumb.get("message"))
        crumb.pop("data", None)  # SQL parameters, HTTP bodies
    extra = event.get("extra")
    if isinstance(extra, dict):
        event["extra"] = {
            k: (FILTERED if _SECRETISH.search(k) else _clean_text(v)) for k, v in extra.items()
        }
    event.pop("server_name", None)
    return event


def _init_sentry(app: Flask) -> None:
    dsn = app.config.get("SENTRY_DSN")
    if not dsn:
        return
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=app.config["ENV"],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0.0,
        before_send=scrub,
        before_send_transaction=lambda event, hint: None,
        integrations=[FlaskIntegration(), LoggingIntegration(event_level=None)],
    )
    app.extensions["sentry"] = True


def report(error: BaseException) -> None:
    """An error the 500 page caught: Flask's signal does not fire for it, so send it here."""
    from flask import current_app

    if not current_app.extensions.get("sentry"):
        return
    import sentry_sdk

    with sentry_sdk.new_scope() as scope:
        scope.set_tag("request_id", request_id() or "")
        user_id, role = _who() if has_request_context() else (None, None)
        if user_id is not None:
            scope.set_user({"id": str(user_id), "role": role})
        sentry_sdk.capture_exception(error)
