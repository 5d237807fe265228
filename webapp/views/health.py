"""Health checks for a load balancer or an orchestrator: plain text, no personal data, no
sign-in, no cookie."""

from __future__ import annotations

from flask import Blueprint, Response

from .. import policy
from ..services import health

bp = Blueprint("health", __name__)


def _plain(body: str, status: int) -> Response:
    response = Response(body + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz")
@policy.public
def healthz():
    """The process is up and answers (it does not look at anything else)."""
    return _plain("ok", 200)


@bp.route("/readyz")
@policy.public
def readyz():
    """Ready for traffic: the database and Redis answer and the migrations are at head."""
    problems = health.problems()
    if problems:
        return _plain("not ready: " + "; ".join(problems), 503)
    return _plain("ready", 200)
