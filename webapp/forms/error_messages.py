"""The error messages more than one form uses, in one place. A message about one field only
(what to choose, what to write, the date to give) is declared with that field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

NOT_SENT_SAFELY = _l(
    "Your form could not be sent safely. Check what you typed, then send it again."
)
EMAIL_FORMAT = _l("Enter an email address in the right format, like name@example.com.")
NOT_A_PICTURE_HERE = _l("Choose from the pictures on this page.")


def too_long(limit: int):
    return _l("Use %(max)s characters or fewer.", max=limit)


def keep_it_short(limit: int, count: int):
    return _l(
        "Keep it short: use %(max)s characters or fewer. You have used %(count)s.",
        max=limit,
        count=count,
    )
