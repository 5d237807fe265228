"""Home: a calm start page for families, the caseload for staff."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from .. import help_words, page_cache, policy
from ..models import Role, utcnow
from ..services import (
    alerts,
    appointments,
    caseload,
    cases,
    communication,
    help_again,
    journal,
    plans,
    register,
    survey,
    transition,
)

bp = Blueprint("home", __name__)


def _family_notices(case) -> dict:
    """A planned ending (told before), the ending (told after), and a carer's request."""
    if case is None:
        return {}
    closure = help_again.current_closure(case)
    carer_asked = None
    seen = policy.visible(current_user, help_again.requests_for_case(case), case)
    if current_user.role is Role.YOUNG_PERSON and policy.young_person_decides(case, date.today()):
        carer_asked = next((r for r in seen if r.author_id != current_user.id and not r.done), None)
    # One line about an open request: the person's own, or (as before) the carer's request a
    # young person who decides for themselves is told about. Nobody sees more than before.
    own = next((r for r in seen if r.author_id == current_user.id and not r.done), None)
    shown = own or carer_asked
    recent = alerts.latest_for_member(current_user, case, utcnow() - alerts.RECENT)
    return {
        "alert": recent
        if recent and policy.can_see_alert_status(current_user, recent, case)
        else None,
        "asked": help_words.status_line(shown.head, case.team, utcnow(), for_author=shown is own)
        if shown is not None
        else None,
        "planned": help_again.planned_closure(case),
        "closure": closure if closure and closure.closed_at else None,
        "carer_asked": carer_asked,
    }


def _register_for_family(case) -> dict:
    """What the family sees of the register, only as policy allows: the rating in kind words
    when the team chose to show it, and the hospital's contact details while admitted."""
    if case is None:
        return {}
    change = register.latest_change(case)
    admission = register.current_admission(case)
    return {
        "rating_shown": change.rating
        if change is not None and policy.family_sees_rating(current_user, case, change)
        else None,
        "hospital": admission
        if policy.sees_hospital_contact(current_user, case, admission)
        else None,
    }


def _caseload_flags(found) -> dict:
    """What a caseload shows beside each young person: communication needs, late actions, and
    what needs doing now (red check-ins, help-again requests, unread messages), most urgent
    first."""
    now = utcnow()
    signals = caseload.signals(current_user, found, now - journal.ATTENTION_PERIOD)
    return {
        "cases": caseload.most_urgent_first(found, signals),
        "signals": signals,
        "needs": communication.needs_for([c.young_person_id for c in found]),
        "overdue": plans.overdue_counts([c.id for c in found], date.today()),
        "attention": journal.attention_counts(
            [c.id for c in found], utcnow() - journal.ATTENTION_PERIOD
        ),
        "urgent": alerts.urgent_list(current_user, alerts.now()),
        "no_note": len(appointments.without_note([c.id for c in found], now)),
        "register": register.caseload_flags(found, date.today()),
        "moving_on": transition.caseload_flags(found, date.today()),
    }


@bp.route("/")
@policy.public
@page_cache.cached
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    role = current_user.role
    if role.is_family:
        case = cases.case_for_family_member(current_user)
        return render_template(
            "home/family.html",
            case=case,
            survey_due=case is not None and survey.due(case, current_user),
            **_family_notices(case),
            **_register_for_family(case),
        )
    if role is Role.KEY_WORKER:
        found = cases.caseload(current_user)
        return render_template("home/key_worker.html", **_caseload_flags(found))
    if role is Role.MANAGER:
        found = cases.team_cases(current_user.team_id)
        return render_template(
            "home/manager.html",
            team=cases.team_by_id(current_user.team_id),
            caseloads=register.caseloads(current_user.team_id),
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


@bp.route("/my-crisis-card")
@policy.allow(policy.FAMILY)
def my_crisis_card():
    """A fixed address for the home screen shortcut (no case id in the manifest)."""
    case = cases.case_for_family_member(current_user)
    if case is None:
        return redirect(url_for("home.index"))
    return redirect(url_for("plan.crisis_card_page", case_id=case.id))
