"""Email. Sent through SMTP when MAIL_SERVER is set, from the outbox (services/push.py), never
inside a request: a mail server that is down loses nothing, and a reset asked for a known
address takes the same time as one for an unknown address.

Without MAIL_SERVER, development writes each email to a file in instance/mail/ (the links in
them carry tokens, so they never go to a log) and production raises, so the email stays in the
outbox until a mail server is set.

Emails never carry health details: only that something is waiting, and a link.
"""

from __future__ import annotations

import logging
import re
import secrets
import smtplib
from email.message import EmailMessage

from flask import current_app

from .config import INSTANCE

log = logging.getLogger(__name__)


class MailNotConfigured(RuntimeError):
    """Production without MAIL_SERVER: the email stays in the outbox."""


def send_email(to: str, subject: str, body: str) -> None:
    cfg = current_app.config
    message = EmailMessage()
    message["From"] = cfg["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)

    outbox = current_app.extensions.get("mail_outbox")
    if outbox is not None:  # tests collect mail instead of sending it
        outbox.append(message)
        return
    if not cfg.get("MAIL_SERVER"):
        if cfg["ENV"] not in {"development", "test"}:
            raise MailNotConfigured("MAIL_SERVER is not set")
        folder = INSTANCE / "mail"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{secrets.token_hex(6)}.eml"
        path.write_bytes(bytes(message))
        log.warning("Development: an email is in %s (MAIL_SERVER is not set).", path)
        return
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=15) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(message)


def send_after_response(limit: int = 10) -> None:
    """Send (or queue, with REDIS_URL) the outbox once the person has their page: it never
    makes them wait, and what fails stays for a retry."""
    from . import jobs

    jobs.after_response(limit=limit)


# Links in emails carry a token until the page moves it into the session. The web server's
# access log (werkzeug, gunicorn) would print it: these filters blank it first.
_TOKEN_IN_PATH = re.compile(r"(/(?:invitation|reset-password|shared)/)(?!new\b)[A-Za-z0-9_\-]{16,}")


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1[token]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, dict):  # gunicorn's access log passes its atoms as a dict
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in args.items()}
        elif args:
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install_log_filters() -> None:
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
