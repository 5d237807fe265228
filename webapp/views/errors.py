"""Calm error pages with a way back and the crisis routes."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..services.transaction import RefusedValue

log = logging.getLogger(__name__)


def _messages(code: int) -> tuple[str, str]:
    return {
        400: (
            _("Something went wrong with that request"),
            _("Nothing you typed has been shared. Go back and try again."),
        ),
        403: (
            _("You cannot see this page"),
            _("Go back to the home page. Ask your key worker if you think you should see it."),
        ),
        404: (
            _("We cannot find this page"),
            _("The link may be wrong, or the page may have moved."),
        ),
        405: (
            _("Something went wrong with that request"),
            _("Nothing you typed has been shared. Go back and try again."),
        ),
        413: (
            _("What you sent is too big"),
            _("Nothing you sent has been shared. Make it shorter, then try again."),
        ),
        429: (
            _("Please wait a few minutes"),
            _("There have been a lot of tries from your device. Wait 5 minutes, then try again."),
        ),
        500: (
            _("Sorry, something went wrong on our side"),
            _("It is not your fault. Try again in a few minutes."),
        ),
    }.get(code, (_("Something went wrong"), _("Go back and try again.")))


def render_error(code: int):
    from ..views.pages import crisis_teams

    title, explanation = _messages(code)
    try:
        teams = crisis_teams()
    except Exception:  # the database may be why we are here
        teams = []
    return (
        render_template("errors/error.html", title=title, explanation=explanation, teams=teams),
        code,
    )


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        # Most often the form was open a long time, or cookies are off.
        from ..views.pages import crisis_teams

        return (
            render_template(
                "errors/error.html",
                title=_("Something went wrong with that request"),
                explanation=_(
                    "Your form could not be sent safely. Go back, reload the page and "
                    "try again. Check that cookies are turned on."
                ),
                teams=crisis_teams(),
            ),
            400,
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(RefusedValue)
    def data_error(_error: RefusedValue):
        # A value the database cannot hold (too long, out of range) that a form let through:
        # the request was wrong, not the server. The forms check lengths first; this is the net.
        log.warning("A value the database refused reached it (no data logged)")
        from ..services import transaction

        transaction.discard()
        return render_error(400)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        log.exception("Unhandled error")  # the traceback only: no form data is logged
        from ..observability import report

        report(error)
        from ..services import transaction

        transaction.discard()
        return render_error(500)
