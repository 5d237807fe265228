"""Home: a calm start page for families, the caseload for staff."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from .. import policy
from ..models import Role
from ..services import cases

bp = Blueprint("home", __name__)


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
        return render_template("home/key_worker.html", cases=cases.caseload(current_user))
    if role is Role.MANAGER:
        return render_template(
            "home/manager.html",
            cases=cases.team_cases(current_user.team_id),
            team=cases.team_by_id(current_user.team_id),
        )
    return render_template("home/reviewer.html")
