"""The key worker's register: the rating over time, hospital, and the team's register rules."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import policy
from ..forms.register import (
    AdmissionForm,
    BarrierForm,
    BarrierStepForm,
    ConsentForm,
    DischargeForm,
    RatingForm,
    ReferralForm,
    SettingsForm,
)
from ..labels import when
from ..models import (
    AdmissionKind,
    BarrierStepKind,
    CaseStatus,
    Condition,
    ConsentGiver,
    ConsentWay,
    DsrRating,
    ReferralSource,
    Role,
)
from ..services import audit, cases, communication, plans, register, transition

bp = Blueprint("register", __name__, url_prefix="/staff")

LONDON = ZoneInfo("Europe/London")


def _case_or_404(case_id: int):
    found = policy.case_or_404(current_user, cases.case_by_id(case_id))
    if not policy.can_see_register(current_user, found):
        abort(404)
    return found


def _updatable_or_404(case_id: int):
    found = _case_or_404(case_id)
    if not policy.can_update_register(current_user, found):
        abort(404)
    return found


def _needs(found) -> dict:
    return {"needs": communication.needs_for([found.young_person_id])}


@bp.route("/cases/<int:case_id>/register")
@policy.allow(policy.STAFF)
def overview(case_id: int):
    found = _case_or_404(case_id)
    audit.staff_read(found, "register", found.id)
    changes = register.history(found)
    stays = register.admissions(found)
    latest = changes[0] if changes else None
    return render_template(
        "register/overview.html",
        case=found,
        changes=changes,
        stays=stays,
        in_hospital=next((a for a in stays if a.discharge is None), None),
        follow_up=register.open_follow_ups([found.id]).get(found.id),
        review_due=register.review_due(latest, date.today()),
        latest=latest,
        can_update=policy.can_update_register(current_user, found),
        eligibility=register.eligibility(found, date.today()),
        referral=next(iter(register.referrals(found)), None),
        consents=register.consents(found),
        barriers=register.barriers(found),
        moving_on=_moving_on(found),
        **_needs(found),
    )


def _moving_on(found) -> dict:
    """Moving to adult services: when planning starts, and the steps in the plan the family
    sees (its newest version)."""
    today = date.today()
    plan = plans.plan_for_case(found.id)
    items = list(plans.latest_version(plan).items) if plan else []
    return {
        "timing": transition.timing(found, today),
        "shown": transition.shows_section(found, items, today),
        "steps": transition.steps(items),
        "overdue": {i.key for i in plans.overdue(items, today)},
        "has_plan": plan is not None,
        "can_edit": plan is not None and policy.can_edit_plan(current_user, found),
        "can_change_age": policy.can_change_register_settings(current_user),
    }


@bp.route("/cases/<int:case_id>/register/rating", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def rating(case_id: int):
    found = _updatable_or_404(case_id)
    form = RatingForm()
    if request.method == "GET":
        form.rating.data = found.dsr_rating.value
    if form.validate_on_submit():
        register.change_rating(
            found,
            current_user,
            DsrRating(form.rating.data),
            form.reason.data,
            form.review_date(),
            bool(form.show_family.data),
        )
        flash(_("The rating is saved. The change is in the history below."), "success")
        return redirect(url_for("register.overview", case_id=found.id))
    status = 400 if form.errors else 200
    return render_template(
        "register/rating.html",
        case=found,
        form=form,
        **_needs(found),
    ), status


@bp.route("/cases/<int:case_id>/register/admission", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def admission(case_id: int):
    found = _updatable_or_404(case_id)
    already = register.current_admission(found)
    form = AdmissionForm()
    if already is None and form.validate_on_submit():
        register.admit(
            found,
            current_user,
            admitted_on=form.admitted_date(),
            hospital=form.hospital.data,
            ward=form.ward.data,
            phone=form.phone.data,
            kind=AdmissionKind(form.kind.data),
        )
        flash(_("Going into hospital is recorded. The rating is now Blue."), "success")
        return redirect(url_for("register.overview", case_id=found.id))
    status = 400 if form.errors or (already and request.method == "POST") else 200
    return render_template(
        "register/admission.html",
        case=found,
        form=form,
        already=already,
        **_needs(found),
    ), status


@bp.route("/cases/<int:case_id>/register/discharge", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def discharge(case_id: int):
    found = _updatable_or_404(case_id)
    current = register.current_admission(found)
    rules = register.settings_for(found.team_id)
    form = DischargeForm(admitted_on=current.admitted_on if current else date.min)
    if current is not None and form.validate_on_submit():
        left = register.discharge(
            found,
            current,
            current_user,
            discharged_at=form.local_moment().replace(tzinfo=LONDON),
            discharged_to=form.discharged_to.data,
        )
        flash(
            _(
                "Leaving hospital is recorded. Contact them by %(when)s.",
                when=when(left.follow_up_due),
            ),
            "success",
        )
        return redirect(url_for("register.overview", case_id=found.id))
    status = 400 if form.errors or (current is None and request.method == "POST") else 200
    return render_template(
        "register/discharge.html",
        case=found,
        form=form,
        current=current,
        rules=rules,
        **_needs(found),
    ), status


@bp.route("/cases/<int:case_id>/register/follow-ups/<int:discharge_id>", methods=["POST"])
@policy.allow(policy.STAFF)
def follow_up_done(case_id: int, discharge_id: int):
    found = _updatable_or_404(case_id)
    left = register.discharge_by_id(discharge_id)
    if left is None or left.admission.case_id != found.id:
        abort(404)
    if register.follow_up_done(left, current_user):
        flash(_("The follow-up after leaving hospital is marked as done."), "success")
    return redirect(url_for("register.overview", case_id=found.id))


@bp.route("/team/register", methods=["GET", "POST"])
@policy.allow(Role.MANAGER)
@policy.csrf_in_form
def settings():
    if not policy.can_change_register_settings(current_user):
        abort(404)
    rules = register.settings_for(current_user.team_id)
    form = SettingsForm()
    if request.method == "GET":
        form.after_discharge_rating.data = rules.after_discharge_rating.value
        form.after_discharge_days.data = str(rules.after_discharge_days)
        form.caseload_limit.data = str(rules.caseload_limit)
        form.transition_age.data = str(rules.transition_age)
    if form.validate_on_submit():
        register.save_settings(
            current_user.team_id,
            current_user,
            after_discharge_rating=DsrRating(form.after_discharge_rating.data),
            after_discharge_days=int(form.after_discharge_days.data),
            caseload_limit=int(form.caseload_limit.data),
            transition_age=int(form.transition_age.data),
        )
        flash(_("The register rules are saved."), "success")
        return redirect(url_for("register.settings"))
    status = 400 if form.errors else 200
    return render_template("register/settings.html", form=form), status


@bp.route("/cases/<int:case_id>/register/referral", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def referral(case_id: int):
    found = _updatable_or_404(case_id)
    form = ReferralForm()
    if form.validate_on_submit():
        register.record_referral(
            found,
            current_user,
            source=ReferralSource(form.source.data),
            source_detail=form.source_detail.data,
            referred_on=date.fromisoformat(form.referred_on.data),
            condition=Condition(form.condition.data),
        )
        flash(_("The referral is saved."), "success")
        return redirect(url_for("register.overview", case_id=found.id))
    return render_template(
        "register/referral.html",
        case=found,
        form=form,
        **_needs(found),
    ), (400 if form.errors else 200)


@bp.route("/cases/<int:case_id>/register/permission", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def consent(case_id: int):
    found = _case_or_404(case_id)
    if not policy.is_case_staff(current_user, found):
        abort(404)
    closed = found.status is CaseStatus.CLOSED
    form = ConsentForm(
        young_person_decides=policy.young_person_decides(found, date.today()),
        name=found.young_person.name.split(" ")[0],
    )
    if not closed and form.validate_on_submit():
        register.record_consent(
            found,
            current_user,
            given=form.given.data == "given",
            giver=ConsentGiver(form.giver.data),
            giver_name=form.giver_name.data,
            decided_on=date.fromisoformat(form.decided_on.data),
            way=ConsentWay(form.way.data),
        )
        flash(_("Permission to be on the register is saved."), "success")
        return redirect(url_for("register.overview", case_id=found.id))
    bad = bool(form.errors) or (closed and request.method == "POST")
    return render_template(
        "register/consent.html",
        case=found,
        form=form,
        closed=closed,
        **_needs(found),
    ), (400 if bad else 200)


@bp.route("/cases/<int:case_id>/register/barriers/new", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def new_barrier(case_id: int):
    found = _updatable_or_404(case_id)
    form = BarrierForm()
    if form.validate_on_submit():
        register.add_barrier(
            found,
            current_user,
            description=form.description.data,
            raised_with=form.raised_with.data,
            raised_on=date.fromisoformat(form.raised_on.data),
        )
        flash(_("The barrier is recorded."), "success")
        return redirect(url_for("register.overview", case_id=found.id))
    return render_template(
        "register/barrier_new.html",
        case=found,
        form=form,
        **_needs(found),
    ), (400 if form.errors else 200)


@bp.route("/cases/<int:case_id>/register/barriers/<int:barrier_id>", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def barrier(case_id: int, barrier_id: int):
    found = _case_or_404(case_id)
    blocked = register.barrier_by_id(barrier_id)
    if blocked is None or blocked.case_id != found.id:
        abort(404)
    can_escalate = policy.can_escalate_barrier(current_user, found) and blocked.closed_at is None
    form = BarrierStepForm()
    if request.method == "POST":
        if not can_escalate:
            abort(404)
        if form.validate_on_submit():
            kind = BarrierStepKind(form.kind.data)
            register.add_barrier_step(blocked, current_user, kind, form.text.data)
            flash(
                _("The outcome is saved and the barrier is closed.")
                if kind is BarrierStepKind.OUTCOME
                else _("The escalation is saved."),
                "success",
            )
            return redirect(url_for("register.barrier", case_id=found.id, barrier_id=blocked.id))
    else:
        audit.staff_read(found, "barriers", blocked.id)
    return render_template(
        "register/barrier.html",
        case=found,
        barrier=blocked,
        form=form if can_escalate else None,
        **_needs(found),
    ), (400 if form.errors else 200)
