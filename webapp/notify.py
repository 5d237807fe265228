"""Email (and, later, web push). Mail goes to the console in development, through SMTP when set.

Emails never carry health details: only that something is waiting, and a link.
"""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage

from flask import current_app


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
        # Development only: show the mail so links can be followed locally.
        print(f"--- email to {to} ---\nSubject: {subject}\n\n{body}\n---", file=sys.stderr)
        return
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=15) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(message)
