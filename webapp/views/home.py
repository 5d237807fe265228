"""Home: a calm start page for families, the caseload for staff."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from .. import policy
from ..models import Role, utcnow
from ..services import cases, communication, journal, plans

bp = Blueprint("home", __name__)


def _caseload_flags(found) -> dict:
    """What a caseload shows beside each young person: communication needs, late actions."""
    return {
        "needs": communication.needs_for([c.young_person_id for c in found]),
        "overdue": plans.overdue_counts([c.id for c in found], date.today()),
        "attention": journal.attention_counts(
            [c.id for c in found], utcnow() - journal.ATTENTION_PERIOD
        ),
    }


@bp.route("/")
@policy.public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    role = current_user.role
    if role.is_family:
        case = cases.case_for_family_member(current_user)
        return render_template("home/family.html", case=case)
    if role is Role.KEY_WORKER:
        found = cases.caseload(current_user)
        return render_template("home/key_worker.html", cases=found, **_caseload_flags(found))
    if role is Role.MANAGER:
        found = cases.team_cases(current_user.team_id)
        return render_template(
            "home/manager.html",
            cases=found,
            team=cases.team_by_id(current_user.team_id),
            **_caseload_flags(found),
        )
    return redirect(url_for("content.queue"))


@bp.route("/my-plan")
@policy.allow(policy.FAMILY)
def my_plan():
    case = cases.case_for_family_member(current_user)
    if case is None:
        return redirect(url_for("home.index"))
    return redirect(url_for("plan.contents", case_id=case.id))
