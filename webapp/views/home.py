"""Home: a calm start page for families, the caseload for staff."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from .. import policy
from ..models import Role, utcnow
from ..services import cases, communication, help_again, journal, plans

bp = Blueprint("home", __name__)


def _family_notices(case) -> dict:
    """A planned ending (told before), the ending (told after), and a carer's request."""
    if case is None:
        return {}
    closure = help_again.current_closure(case)
    carer_asked = None
    if current_user.role is Role.YOUNG_PERSON and policy.young_person_decides(case, date.today()):
        carer_asked = next(
            (r for r in help_again.requests_for_case(case)
             if r.author_id != current_user.id and not r.done), None,
        )  # fmt: skip
    return {
        "planned": help_again.planned_closure(case),
        "closure": closure if closure and closure.closed_at else None,
        "carer_asked": carer_asked,
    }


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
        return render_template("home/family.html", case=case, **_family_notices(case))
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
