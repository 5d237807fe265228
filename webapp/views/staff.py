"""Staff area: a case at a glance, assigning key workers, inviting people."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import notify, policy
from ..forms.staff import AssignKeyWorkerForm, InviteForm
from ..models import DsrRating, KeyWorkerRole, Role, utcnow
from ..services import accounts, cases, communication, journal
from ..services.journal import ATTENTION_PERIOD

bp = Blueprint("staff", __name__, url_prefix="/staff")


def _case_or_404(case_id: int):
    return policy.case_or_404(current_user, cases.case_by_id(case_id))


@bp.route("/cases/<int:case_id>")
@policy.allow(policy.STAFF)
def case(case_id: int):
    found = _case_or_404(case_id)
    form = None
    if policy.can_assign_key_workers(current_user, found):
        form = _assign_form(found)
    return render_template("staff/case.html", **_case_context(found), form=form)


def _case_context(found) -> dict:
    people = [found.young_person_id, *(c.user_id for c in found.carers)]
    return {
        "case": found,
        "needs": communication.needs_for(people),
        "can_edit_plan": policy.can_edit_plan(current_user, found),
        "can_close": policy.can_close(current_user, found),
        "attention": journal.attention_counts([found.id], utcnow() - ATTENTION_PERIOD).get(
            found.id, 0
        ),
    }


def _assign_form(found, formdata=None):
    choices = [(str(u.id), u.name) for u in cases.team_key_workers(found.team_id)]
    return AssignKeyWorkerForm(formdata=formdata, key_workers=choices)


@bp.route("/cases/<int:case_id>/key-workers", methods=["POST"])
@policy.allow(Role.MANAGER)
@policy.csrf_in_form
def assign_key_worker(case_id: int):
    found = _case_or_404(case_id)
    if not policy.can_assign_key_workers(current_user, found):
        abort(404)
    form = _assign_form(found, formdata=request.form)
    if form.validate():
        key_worker = accounts.user_by_id(int(form.key_worker_id.data))
        changed = cases.assign_key_worker(
            found, key_worker, KeyWorkerRole(form.role.data), by=current_user
        )
        if changed:
            flash(
                _(
                    "%(name)s is now a key worker for %(young_person)s.",
                    name=key_worker.name,
                    young_person=found.young_person.name,
                ),
                "success",
            )
        else:
            flash(_("Nothing changed: %(name)s already has that role.", name=key_worker.name))
        return redirect(url_for("staff.case", case_id=found.id))
    return render_template(
        "staff/case.html", **_case_context(found), form=form, form_errors=True
    ), 400


@bp.route("/cases/<int:case_id>/key-workers/<int:user_id>/remove", methods=["POST"])
@policy.allow(Role.MANAGER)
def remove_key_worker(case_id: int, user_id: int):
    found = _case_or_404(case_id)
    if not policy.can_assign_key_workers(current_user, found):
        abort(404)
    if cases.remove_key_worker(found, user_id):
        flash(_("The key worker has been taken off this case."), "success")
    return redirect(url_for("staff.case", case_id=found.id))


def _invitable_cases() -> list[tuple[str, str]]:
    if current_user.role is Role.MANAGER:
        found = cases.team_cases(current_user.team_id)
    else:
        found = cases.caseload(current_user)
    return [(str(c.id), c.young_person.name) for c in found]


@bp.route("/invite", methods=["GET", "POST"])
@policy.allow(policy.STAFF)
@policy.csrf_in_form
def invite():
    roles = policy.invitable_roles(current_user)
    form = InviteForm(roles=roles, cases=_invitable_cases())
    if form.validate_on_submit():
        role = Role(form.role.data)
        case_id = None
        if role is Role.CARER:
            case_id = int(form.case_id.data)
            if not policy.can_invite_to_case(current_user, cases.case_by_id(case_id)):
                abort(404)
        invitation, token = accounts.create_invitation(
            invited_by=current_user,
            email=form.email.data,
            name=form.name.data,
            role=role,
            team_id=current_user.team_id if role is not Role.REVIEWER else None,
            case_id=case_id,
            date_of_birth=form.birth_date() if role is Role.YOUNG_PERSON else None,
            dsr_rating=DsrRating(form.dsr_rating.data) if role is Role.YOUNG_PERSON else None,
        )
        link = (current_app.config.get("BASE_URL") or request.host_url).rstrip("/") + url_for(
            "auth.open_invitation", token=token
        )
        notify.send_email(
            invitation.email,
            _("You are invited to My Key Worker"),
            _(
                "Hello %(name)s,\n\n%(inviter)s has invited you to My Key Worker, "
                "the NHS key working service.\n\nUse this link to choose your password:\n"
                "%(link)s\n\nThe link works once, for %(days)s days.",
                name=invitation.name,
                inviter=current_user.name,
                link=link,
                days=current_app.config["INVITATION_DAYS"],
            ),
        )
        flash(_("We have sent an invitation to %(email)s.", email=invitation.email), "success")
        return redirect(url_for("staff.invite"))
    return render_template("staff/invite.html", form=form, form_errors=bool(form.errors))
